namespace BlazorJobs.Server.Jobs;

/// <summary>
/// Wakes the worker's claim loop: pulsed by <c>NOTIFY job_enqueued</c> (through the EventHub), by a
/// retry coming due, and after the listener reconnects. Pulses while nobody waits collapse into one.
/// </summary>
public sealed class WorkerSignal
{
    private readonly SemaphoreSlim _pulse = new(0, 1);

    public void Pulse()
    {
        try
        {
            _pulse.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already pulsed and not yet consumed: one wake-up is enough.
        }
    }

    /// <summary>
    /// How late a back-off's pulse comes. The job's <c>run_after</c> is stamped by the database, while a
    /// timer can fire a few milliseconds early (the runtime's tick count is coarse: about 4 ms on Linux);
    /// a pulse that came early would find the job not yet due and leave it for the slow sweep.
    /// </summary>
    public static readonly TimeSpan BackoffSlack = TimeSpan.FromMilliseconds(25);

    /// <summary>Pulses once after <paramref name="delay"/> (a retry's back-off), plus <see cref="BackoffSlack"/>.</summary>
    public void PulseAfter(TimeSpan delay, TimeProvider time)
    {
        ITimer? timer = null;
        timer = time.CreateTimer(_ =>
        {
            Pulse();
            timer?.Dispose();
        }, null, delay + BackoffSlack, Timeout.InfiniteTimeSpan);
    }

    /// <returns>true when pulsed, false when <paramref name="timeout"/> passed first.</returns>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pulse.WaitAsync(timeout, cancellationToken);
}
