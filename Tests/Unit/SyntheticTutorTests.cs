using BlazorJobs.Server.Tutor;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Tests.Unit;

public sealed class SyntheticTutorTests
{
    private sealed class RecordedDeltas : ITutorProgress
    {
        public List<string> Deltas { get; } = [];

        public Task ReportStageAsync(string stage, string message, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task WriteDeltaAsync(string text, CancellationToken cancellationToken)
        {
            Deltas.Add(text);
            return Task.CompletedTask;
        }
    }

    private static readonly TutorRequest Question = new(Guid.NewGuid(), "landing", "Anything?", null, null, 1);

    private static SyntheticTutor Tutor(bool stamp) => new(
        Options.Create(new TutorOptions { Provider = "Synthetic", Synthetic = new SyntheticTutorOptions { DurationMs = 0, Deltas = 3, StampDeltas = stamp } }),
        TimeProvider.System);

    [Fact]
    public async Task Deltas_are_the_numbered_parts_unless_stamping_is_asked_for()
    {
        var progress = new RecordedDeltas();

        var answer = await Tutor(stamp: false).AnswerAsync(Question, progress, CancellationToken.None);

        Assert.Equal(["part1 ", "part2 ", "part3 "], progress.Deltas);
        Assert.Equal("part1 part2 part3 ", answer.Answer);
    }

    [Fact]
    public async Task A_stamped_delta_carries_the_utc_time_it_was_produced()
    {
        var progress = new RecordedDeltas();
        var before = DateTimeOffset.UtcNow;

        await Tutor(stamp: true).AnswerAsync(Question, progress, CancellationToken.None);

        var after = DateTimeOffset.UtcNow;
        Assert.Equal(3, progress.Deltas.Count);
        for (var i = 0; i < 3; i++)
        {
            var (part, ticks) = (progress.Deltas[i].Split('@')[0], long.Parse(progress.Deltas[i].Split('@')[1].TrimEnd()));
            Assert.Equal($"part{i + 1}", part);
            Assert.InRange(new DateTimeOffset(ticks, TimeSpan.Zero), before, after);
        }
    }
}
