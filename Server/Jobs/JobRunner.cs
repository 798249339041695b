using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Tutor;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Jobs;

/// <summary>Runs one claimed job to its end: the tutor, lease renewal, and the outcome (completed, retried, failed, released).</summary>
public sealed partial class JobRunner(
    IServiceScopeFactory scopes,
    WorkerSignal signal,
    IOptions<JobOptions> options,
    TimeProvider time,
    JobMetrics metrics,
    ILogger<JobRunner> logger)
{
    public const string GenericFailureMessage = "The tutor could not answer this question right now. Please try again in a moment.";

    /// <param name="shutdown">Cancelled when the host can wait no longer: the job is then released, not failed.</param>
    public async Task RunAsync(JobLease lease, CancellationToken shutdown)
    {
        var job = lease.Job;
        var started = time.GetTimestamp();
        using var runCancellation = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        // Declared after runCancellation, so it is stopped (and its last renewal awaited) before that source is disposed.
        await using var renewal = StartLeaseRenewal(lease, runCancellation);
        try
        {
            if (job.Attempt > job.MaxAttempts)
            {
                // Reclaimed after its worker stopped responding once too often.
                await lease.FailAsync(GenericFailureMessage, CancellationToken.None);
                metrics.JobFinished(JobStatus.Failed, time.GetElapsedTime(started));
                return;
            }

            await using var scope = scopes.CreateAsyncScope();
            var tutor = scope.ServiceProvider.GetRequiredService<ITutor>();
            var progress = new JobProgressWriter(lease.AppendAsync, time);
            var request = new TutorRequest(job.Id, job.Kind, job.Question, job.CourseId, job.LessonId, job.Attempt);
            var answer = await tutor.AnswerAsync(request, progress, runCancellation.Token);

            // The contract: the deltas after the last status event, joined, are the start of the final answer, and
            // the completed event carries all of it, so text still pending goes out with it, in the same commit.
            var text = progress.Text;
            await lease.CompleteAsync(answer with { Answer = text.Length > 0 ? text : answer.Answer }, runCancellation.Token);
            metrics.JobFinished(JobStatus.Completed, time.GetElapsedTime(started));
        }
        catch (LeaseLostException)
        {
            // Cancelled by the user, or taken over after our lease expired: the job is no longer ours to write.
            LogLeaseLost(job.Id, job.Attempt);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            await TryAsync(() => lease.ReleaseAsync(CancellationToken.None), job);
            LogReleased(job.Id);
        }
        catch (OperationCanceledException) when (runCancellation.IsCancellationRequested)
        {
            // The renewal found the lease gone; nothing of ours may be written.
            LogLeaseLost(job.Id, job.Attempt);
        }
        catch (PermanentTutorException ex)
        {
            await TryAsync(() => lease.FailAsync(ex.Message, CancellationToken.None), job);
            metrics.JobFinished(JobStatus.Failed, time.GetElapsedTime(started));
        }
        catch (Exception ex)
        {
            await HandleTransientFailureAsync(lease, ex, started);
        }
    }

    private async Task HandleTransientFailureAsync(JobLease lease, Exception ex, long started)
    {
        var job = lease.Job;
        if (job.Attempt >= job.MaxAttempts)
        {
            LogFailedForGood(ex, job.Id, job.Attempt);
            await TryAsync(() => lease.FailAsync(GenericFailureMessage, CancellationToken.None), job);
            metrics.JobFinished(JobStatus.Failed, time.GetElapsedTime(started));
            return;
        }

        var delay = Backoff(job.Attempt);
        LogRetrying(ex, job.Id, job.Attempt, delay.TotalSeconds);
        if (await TryAsync(() => lease.RetryLaterAsync(delay, CancellationToken.None), job))
        {
            signal.PulseAfter(delay, time);
        }
    }

    /// <summary>Exponential back-off with ±20% jitter so retries of many jobs do not arrive together.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var seconds = options.Value.BackoffSeconds * Math.Pow(2, attempt - 1);
        return TimeSpan.FromSeconds(seconds * (0.8 + Random.Shared.NextDouble() * 0.4));
    }

    /// <summary>Renews the lease every third of its time until the returned handle is disposed.</summary>
    /// <remarks>
    /// A loop awaited at the end of the run, not a timer callback: a callback is <c>async void</c>, so an
    /// exception escaping it (a renewal cancelled at shutdown) would end the whole process, and disposing a
    /// timer does not wait for a renewal in flight, which could then cancel an already disposed token source.
    /// </remarks>
    private LeaseRenewal StartLeaseRenewal(JobLease lease, CancellationTokenSource runCancellation)
    {
        var stop = new CancellationTokenSource();
        return new LeaseRenewal(stop, RenewUntilStoppedAsync(lease, runCancellation, stop.Token));
    }

    private async Task RenewUntilStoppedAsync(JobLease lease, CancellationTokenSource runCancellation, CancellationToken stop)
    {
        var period = TimeSpan.FromSeconds(options.Value.LeaseSeconds / 3);
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (time.GetUtcNow() - lease.LastRenewedAt < period)
                {
                    continue; // an event write just extended it
                }
                try
                {
                    await lease.RenewAsync(stop);
                }
                catch (LeaseLostException)
                {
                    // Cancelled by the user or taken over: stop the tutor, nothing of ours may be written.
                    await runCancellation.CancelAsync();
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A database hiccup: the next tick tries again well before the lease runs out.
                    LogRenewalFailed(ex, lease.Job.Id);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    private sealed class LeaseRenewal(CancellationTokenSource stop, Task loop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await loop;
            stop.Dispose();
        }
    }

    private async Task<bool> TryAsync(Func<Task> write, ClaimedJob job)
    {
        try
        {
            await write();
            return true;
        }
        catch (LeaseLostException)
        {
            LogLeaseLost(job.Id, job.Attempt);
        }
        catch (Exception ex)
        {
            // The lease will expire and the job be reclaimed: nothing is lost.
            LogOutcomeNotWritten(ex, job.Id);
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} attempt {Attempt} is no longer held by this worker (cancelled or taken over)")]
    private partial void LogLeaseLost(Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} released for another worker at shutdown")]
    private partial void LogReleased(Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt} failed; retrying in {DelaySeconds:0.0} s")]
    private partial void LogRetrying(Exception ex, Guid jobId, int attempt, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed for good after attempt {Attempt}")]
    private partial void LogFailedForGood(Exception ex, Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the lease of job {JobId}")]
    private partial void LogRenewalFailed(Exception ex, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the outcome of job {JobId}; its lease will expire and it will be reclaimed")]
    private partial void LogOutcomeNotWritten(Exception ex, Guid jobId);
}
