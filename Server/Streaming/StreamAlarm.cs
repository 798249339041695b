namespace BlazorJobs.Server.Streaming;

/// <summary>
/// One stream's re-armable wake-up: the wait loop arms it for its next deadline (a heartbeat, a timeout, the
/// credentials' expiry) and awaits it beside the stream's pending read. It also rings, for good, when the stream must
/// end (the client left, the kill switch, the server stopping). An idle stream's heartbeat so costs one small task,
/// where a wait cancelled by a deadline cost a linked cancellation source, a timer and a thrown
/// <see cref="OperationCanceledException"/> every time (docs/benchmarks.md, target 4).
/// </summary>
public sealed class StreamAlarm : IDisposable
{
    private readonly ITimer _timer;
    private readonly CancellationTokenRegistration[] _endings;
    private TaskCompletionSource _ring = NewRing();
    private int _ended;

    /// <param name="endings">Any of these cancelled rings the alarm for good.</param>
    public StreamAlarm(TimeProvider time, params ReadOnlySpan<CancellationToken> endings)
    {
        _timer = time.CreateTimer(static alarm => ((StreamAlarm)alarm!).Ring(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _endings = new CancellationTokenRegistration[endings.Length];
        for (var i = 0; i < endings.Length; i++)
        {
            _endings[i] = endings[i].UnsafeRegister(static alarm => ((StreamAlarm)alarm!).End(), this);
        }
    }

    /// <summary>
    /// A task that completes after <paramref name="delay"/>, or at once when the stream must end. It replaces an earlier
    /// arming that has not rung; it may ring early (an earlier arming's timer firing as it is replaced), so the caller
    /// checks its deadlines again after waking.
    /// </summary>
    public Task Arm(TimeSpan delay)
    {
        var ring = Volatile.Read(ref _ring);
        if (ring.Task.IsCompleted)
        {
            // Both sides fence (Interlocked), so an ending that races this replacement rings the new task either here or in End.
            ring = NewRing();
            Interlocked.Exchange(ref _ring, ring);
            if (Volatile.Read(ref _ended) == 1)
            {
                ring.TrySetResult();
            }
        }
        _timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        return ring.Task;
    }

    private void Ring() => Volatile.Read(ref _ring).TrySetResult();

    private void End()
    {
        Interlocked.Exchange(ref _ended, 1);
        Ring();
    }

    private static TaskCompletionSource NewRing() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        foreach (var ending in _endings)
        {
            ending.Dispose();
        }
        _timer.Dispose();
    }
}
