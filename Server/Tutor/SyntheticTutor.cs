using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Tutor;

/// <summary>
/// For benchmarks and tests: answers after <c>Tutor:Synthetic:DurationMs</c> in <c>Deltas</c> delta
/// events, and makes every <c>FailEvery</c>-th job fail for good, so job durations are controlled.
/// With <c>StampDeltas</c> each delta also says when it was due, so a benchmark can time its delivery.
/// </summary>
public sealed class SyntheticTutor(IOptions<TutorOptions> options, TimeProvider time) : ITutor
{
    // Per app instance (the tutor is a singleton), so apps sharing a process do not shift each other's failures.
    private int _jobsAnswered;

    public async Task<TutorAnswer> AnswerAsync(TutorRequest request, ITutorProgress progress, CancellationToken cancellationToken)
    {
        var settings = options.Value.Synthetic;
        var number = Interlocked.Increment(ref _jobsAnswered);
        if (settings.FailEvery > 0 && number % settings.FailEvery == 0)
        {
            throw new PermanentTutorException($"Synthetic failure of job {number} (Tutor:Synthetic:FailEvery={settings.FailEvery}).");
        }

        var pause = TimeSpan.FromMilliseconds((double)settings.DurationMs / settings.Deltas);
        var started = time.GetTimestamp();
        var startedAt = time.GetUtcNow();
        for (var i = 0; i < settings.Deltas; i++)
        {
            // Each delta is due at a fixed time from the start, as a model streams tokens at its own pace: a slow
            // write (a busy database) makes the next deltas late, not the whole answer longer.
            var due = pause * (i + 1);
            var wait = due - time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }
            var stamp = settings.StampDeltas ? "@" + (startedAt + due).UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
            await progress.WriteDeltaAsync($"part{i + 1}{stamp} ", cancellationToken);
        }

        var answer = string.Concat(Enumerable.Range(1, settings.Deltas).Select(i => $"part{i} "));
        return new TutorAnswer(answer, ["Synthetic follow-up question?"], [new Source("Synthetic source", "/courses")]);
    }
}
