namespace BlazorJobs.Tests.Integration.Queue;

/// <summary>
/// A clock that moves only when told, and timers that fire only when told: lets a test place a timer
/// tick (a lease renewal) at an exact point of a run instead of hoping a real timer lands there.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_timers)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_timers)
        {
            _now += by;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(callback, state);
        lock (_timers)
        {
            _timers.Add(timer);
        }
        return timer;
    }

    /// <summary>Runs the callback of every timer not yet disposed, once, on the calling thread.</summary>
    public void FireTimers()
    {
        ManualTimer[] live;
        lock (_timers)
        {
            live = [.. _timers.Where(t => !t.IsDisposed)];
        }
        foreach (var timer in live)
        {
            timer.Fire();
        }
    }

    private sealed class ManualTimer(TimerCallback callback, object? state) : ITimer
    {
        public bool IsDisposed { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period) => !IsDisposed;

        public void Dispose() => IsDisposed = true;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
