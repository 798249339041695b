using System.Collections.Concurrent;
using BlazorJobs.Bench.Client;
using BlazorJobs.Bench.Database;
using BlazorJobs.Bench.Measure;

namespace BlazorJobs.Bench.Targets;

/// <summary>One run of target 9 (with the fault, or the baseline without it).</summary>
/// <param name="WindowStart">The measured window's start; the fault (or, in the baseline, the moment it would have come) is <see cref="FaultAt"/> later.</param>
/// <param name="Deliveries">Every job of the run, from the fill to the drain, as its client saw it.</param>
/// <param name="Undelivered">Jobs whose client still had no terminal event when the drain's deadline passed.</param>
/// <param name="UndeliveredButCompleted">Of those, how many the database has as COMPLETED: results lost on the way.</param>
internal sealed record LossRun(string Name, DateTimeOffset WindowStart, TimeSpan Window, TimeSpan FaultAt, IReadOnlyList<JobDelivery> Deliveries,
    int Undelivered, long UndeliveredButCompleted, long Errors, ListenerOutage? Outage)
{
    /// <summary>The server's pooled connections at the drain's end, and how many were opened after the fault's moment.</summary>
    public (long Open, long OpenedSince) Pool { get; init; }

    public DateTimeOffset FaultTime => Outage?.At ?? WindowStart + FaultAt;

    /// <summary>Completions in the window by the second (since the window's start) their job committed in.</summary>
    public IReadOnlyList<(int Second, LatencySummary Latency)> Seconds() => Deliveries
        .Where(d => d.CompletedAt >= WindowStart && d.CompletedAt < WindowStart + Window && d.Latency is not null)
        .GroupBy(d => (int)((d.CompletedAt!.Value - WindowStart).TotalSeconds))
        .OrderBy(g => g.Key)
        .Select(g => (g.Key, LatencySummary.Of(g.Select(d => d.Latency!.Value))))
        .ToList();

    public LatencySummary Latency => LatencySummary.Of(Deliveries
        .Where(d => d.CompletedAt >= WindowStart && d.CompletedAt < WindowStart + Window && d.Latency is not null).Select(d => d.Latency!.Value));

    public int Lost => Deliveries.Count(d => d.Completed == 0 && d.Terminal is "no content" or "gave up") + (int)UndeliveredButCompleted;
    public int DuplicatedCompleted => Deliveries.Count(d => d.Completed > 1);
    public int RepeatedEvents => Deliveries.Sum(d => d.RepeatedIds);
    public int Reconnected => Deliveries.Count(d => d.Connections > 1);
}

/// <summary>
/// Target 1's closed loop, read for target 9: <c>size</c> clients always waiting, each enqueueing a question, reading its
/// job's stream with <see cref="ResumingJobStream"/> (to the end, resuming as the contract says) and asking again. At the
/// window's end no new question is asked and every outstanding one is waited for (not cancelled): a result the fault lost
/// shows as a client still waiting for a job the database has COMPLETED.
/// </summary>
internal sealed class ListenerLossLoop(LandingClient client, HttpClient streams, Visitor[] visitors, int size, int slots, DatabaseProbe probe)
{
    private const int FillConcurrency = 16;
    private readonly ConcurrentBag<JobDelivery> _deliveries = [];
    private readonly ConcurrentDictionary<int, Guid> _waitingOn = new();
    /// <summary>Jobs whose client failed while waiting (and moved on): checked for loss with the ones still waiting.</summary>
    private readonly ConcurrentBag<Guid> _abandoned = [];
    private readonly SemaphoreSlim _fillGate = new(FillConcurrency);
    private readonly TaskCompletionSource _filled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ProblemLog _problems = new($"target 9 at {size}");
    private volatile bool _stopping;
    private int _started;
    private long _errors;

    /// <param name="withFault">Terminate the listener at the window's start + <paramref name="faultAt"/>; false for the baseline.</param>
    public async Task<LossRun> RunAsync(string name, TimeSpan warmup, TimeSpan window, TimeSpan faultAt, ListenerFault fault, bool withFault)
    {
        using var abort = new CancellationTokenSource();
        var clients = Enumerable.Range(0, size).Select(i => Task.Run(() => ClientAsync(i, abort.Token))).ToArray();
        if (await Task.WhenAny(_filled.Task, Task.Delay(TimeSpan.FromSeconds(60 + size / 50.0))) != _filled.Task)
        {
            _stopping = true;
            await abort.CancelAsync();
            throw new TimeoutException($"Not every client of target 9 was waiting within {60 + size / 50.0:0} s.");
        }
        await Task.Delay(warmup);

        var windowStart = DateTimeOffset.UtcNow;
        ListenerOutage? outage = null;
        await Task.Delay(faultAt);
        if (withFault)
        {
            outage = await fault.TerminateAndWatchAsync(window - faultAt);
            Progress.Line(outage.Back is { } back
                ? $"  listener {outage.OldPid} terminated; LISTEN back on {outage.NewPid} after {Format.Ms(back.TotalMilliseconds)} ms"
                : $"  listener {outage.OldPid} terminated; LISTEN NOT back within {(window - faultAt).TotalSeconds:0} s");
        }
        var end = windowStart + window;
        if (end > DateTimeOffset.UtcNow)
        {
            await Task.Delay(end - DateTimeOffset.UtcNow);
        }

        // The drain: each waiting client's job is at most the queue's depth away (size / slots seconds at one-second jobs).
        _stopping = true;
        var drain = TimeSpan.FromSeconds(30 + (double)size / slots);
        var all = Task.WhenAll(clients);
        if (await Task.WhenAny(all, Task.Delay(drain)) != all)
        {
            await abort.CancelAsync();
        }
        await Task.WhenAll(clients.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
        var undelivered = _waitingOn.Values.Concat(_abandoned).ToArray();
        var lostCompleted = undelivered.Length == 0 ? 0 : await probe.CountJobsAsync(undelivered, "COMPLETED");
        _problems.Summarize();
        var faultTime = outage?.At ?? windowStart + faultAt;
        return new LossRun(name, windowStart, window, faultAt, _deliveries.ToList(), undelivered.Length, lostCompleted, Interlocked.Read(ref _errors), outage)
        {
            Pool = await fault.PoolConnectionsAsync(faultTime),
        };
    }

    private async Task ClientAsync(int index, CancellationToken abort)
    {
        // The first `slots` questions spread over one second keep completions evenly spaced (ClosedLoop's reasoning).
        await Task.Delay(TimeSpan.FromSeconds((double)Math.Min(index, slots) / slots), abort);
        var visitor = visitors[index % visitors.Length];
        var gated = index >= slots;
        if (gated)
        {
            await _fillGate.WaitAsync(abort);
        }
        var first = true;
        while (!_stopping)
        {
            try
            {
                var job = await client.EnqueueAsync(visitor, $"Listener-loss question {index}", abort);
                _waitingOn[index] = job.JobId;
                var delivery = await ResumingJobStream.ReadAsync(streams, visitor, job, () =>
                {
                    if (first && Interlocked.Increment(ref _started) == size)
                    {
                        _filled.TrySetResult();
                    }
                    first = false;
                    if (gated)
                    {
                        gated = false;
                        _fillGate.Release();
                    }
                }, abort);
                _waitingOn.TryRemove(index, out _);
                _deliveries.Add(delivery);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Counted, and the client carries on; the job it was waiting for stays in _waitingOn for the loss check.
                Interlocked.Increment(ref _errors);
                _problems.Add(ex);
                if (_waitingOn.TryRemove(index, out var jobId))
                {
                    _abandoned.Add(jobId);
                }
                await Task.Delay(500, CancellationToken.None);
            }
        }
    }
}
