using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Jobs;

/// <summary>
/// The claim loop: sleeps until <c>NOTIFY job_enqueued</c> (or the slow safety sweep) wakes it, then
/// claims jobs while it has free slots. On shutdown it stops claiming at once, lets running jobs
/// finish for half the host's shutdown timeout, then releases what is left for another worker.
/// </summary>
public sealed partial class JobWorker(
    JobClaimer claimer,
    JobRunner runner,
    WorkerSignal signal,
    IOptions<WorkerOptions> options,
    IOptions<HostOptions> hostOptions,
    ILogger<JobWorker> logger) : BackgroundService
{
    private readonly CancellationTokenSource _releaseInFlight = new();
    private readonly HashSet<Task> _inFlight = [];

    /// <summary>True once the loop runs (for the health check); false when disabled or stopped.</summary>
    public bool IsRunning { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            LogDisabled();
            return;
        }

        IsRunning = true;
        var slots = new SemaphoreSlim(options.Value.Concurrency);
        var sweep = TimeSpan.FromSeconds(options.Value.SweepSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                JobLease? lease;
                try
                {
                    // Not cancellable: a claim cancelled after its COMMIT would strand the job until its lease expired.
                    lease = await claimer.TryClaimAsync(CancellationToken.None);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    slots.Release();
                    LogClaimFailed(ex);
                    await signal.WaitAsync(sweep, stoppingToken);
                    continue;
                }

                if (lease is null)
                {
                    slots.Release();
                    await signal.WaitAsync(sweep, stoppingToken);
                    continue;
                }

                Track(RunAndFreeSlotAsync(lease, slots));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: stop claiming.
        }
        finally
        {
            IsRunning = false;
        }

        await DrainAsync();
    }

    private async Task RunAndFreeSlotAsync(JobLease lease, SemaphoreSlim slots)
    {
        try
        {
            await runner.RunAsync(lease, _releaseInFlight.Token);
        }
        finally
        {
            slots.Release();
        }
    }

    private void Track(Task run)
    {
        lock (_inFlight)
        {
            _inFlight.Add(run);
        }
        _ = run.ContinueWith(t =>
        {
            lock (_inFlight)
            {
                _inFlight.Remove(t);
            }
        }, TaskScheduler.Default);
    }

    private async Task DrainAsync()
    {
        Task[] running;
        lock (_inFlight)
        {
            running = [.. _inFlight];
        }
        if (running.Length == 0)
        {
            return;
        }

        var grace = hostOptions.Value.ShutdownTimeout / 2;
        LogDraining(running.Length, grace.TotalSeconds);
        var all = Task.WhenAll(running);
        if (await Task.WhenAny(all, Task.Delay(grace)) != all)
        {
            await _releaseInFlight.CancelAsync();
            await all;
        }
    }

    public override void Dispose()
    {
        _releaseInFlight.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The job worker is disabled (Worker:Enabled=false)")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not claim a job; trying again after the sweep interval")]
    private partial void LogClaimFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: waiting up to {GraceSeconds} s for {Count} running job(s)")]
    private partial void LogDraining(int count, double graceSeconds);
}
