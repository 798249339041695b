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

    /// <summary>A clock that jumps by each wait asked of it (and by what a test adds), recording the waits.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private long _ticks;

        public DateTimeOffset Start { get; } = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
        public List<TimeSpan> Waits { get; } = [];

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public override DateTimeOffset GetUtcNow() => Start + TimeSpan.FromTicks(GetTimestamp());

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Waits.Add(dueTime);
            Advance(dueTime);
            _ = Task.Run(() => callback(state));
            return new Fired();
        }

        private sealed class Fired : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => false;
            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private sealed class SlowFirstWrite(SteppingClock clock, TimeSpan slowness) : ITutorProgress
    {
        public List<string> Deltas { get; } = [];

        public Task ReportStageAsync(string stage, string message, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task WriteDeltaAsync(string text, CancellationToken cancellationToken)
        {
            if (Deltas.Count == 0)
            {
                clock.Advance(slowness);
            }
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

    [Fact]
    public async Task A_slow_write_makes_the_next_deltas_late_but_not_the_answer_longer()
    {
        var clock = new SteppingClock();
        var progress = new SlowFirstWrite(clock, TimeSpan.FromMilliseconds(150));
        var tutor = new SyntheticTutor(
            Options.Create(new TutorOptions { Provider = "Synthetic", Synthetic = new SyntheticTutorOptions { DurationMs = 300, Deltas = 3, StampDeltas = true } }),
            clock);

        await tutor.AnswerAsync(Question, progress, CancellationToken.None);

        // Due at 100, 200 and 300 ms: the first write ended at 250, so the second is written at once, late, and the third waits 50.
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(50)], clock.Waits);
        Assert.Equal(
            [100, 200, 300],
            progress.Deltas.Select(d => (new DateTimeOffset(long.Parse(d.Split('@')[1].TrimEnd()), TimeSpan.Zero) - clock.Start).TotalMilliseconds));
    }
}
