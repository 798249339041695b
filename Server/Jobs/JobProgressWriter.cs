using System.Text;
using BlazorJobs.Server.Tutor;

namespace BlazorJobs.Server.Jobs;

/// <summary>
/// Turns a tutor's progress into job events, batching answer text: every committing transaction that
/// calls NOTIFY takes a global lock at commit, so one event per token would serialise the whole
/// database. Text is flushed at most once per <see cref="BatchInterval"/>, counted from the job's start;
/// what is still pending when the tutor finishes is not flushed as a delta but carried by the
/// <c>completed</c> event's answer (api.md, "Job events"), so an answer written within the first interval
/// takes no delta commit at all, and no answer takes a last delta commit just before its completion.
/// </summary>
/// <param name="append">Appends one job event (<see cref="JobLease.AppendAsync"/>): its type and data.</param>
internal sealed class JobProgressWriter(Func<string, object, CancellationToken, Task> append, TimeProvider time) : ITutorProgress
{
    public static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(75);

    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _written = new();
    private DateTimeOffset _lastFlush = time.GetUtcNow();

    /// <summary>Everything written so far (flushed or not): the answer as the client will see it.</summary>
    public string Text => _written.ToString() + _pending;

    public async Task ReportStageAsync(string stage, string message, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        await append(JobEventType.Progress, new { stage, message }, cancellationToken);
    }

    public async Task WriteDeltaAsync(string text, CancellationToken cancellationToken)
    {
        if (text.Length == 0)
        {
            return;
        }
        _pending.Append(text);
        if (time.GetUtcNow() - _lastFlush >= BatchInterval)
        {
            await FlushAsync(cancellationToken);
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Length == 0)
        {
            return;
        }
        var text = _pending.ToString();
        await append(JobEventType.Delta, new { text }, cancellationToken);
        _written.Append(text);
        _pending.Clear();
        _lastFlush = time.GetUtcNow();
    }
}
