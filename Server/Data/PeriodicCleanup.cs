namespace BlazorJobs.Server.Data;

/// <summary>
/// A retention cleaner's loop: one pass at start-up, then one per <see cref="Interval"/>. A failed pass
/// (the database away, say) is reported and the next tick tries again; only stopping the host ends it.
/// </summary>
public abstract class PeriodicCleanup(TimeProvider time) : BackgroundService
{
    /// <summary>How long between passes.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>One full pass.</summary>
    protected abstract Task RunPassAsync(CancellationToken cancellationToken);

    /// <summary>Reports a failed pass (each cleaner logs it in its own words).</summary>
    protected abstract void OnPassFailed(Exception exception);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await RunPassAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                OnPassFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
