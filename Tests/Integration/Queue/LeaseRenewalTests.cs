using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Server.Jobs;

namespace BlazorJobs.Tests.Integration.Queue;

/// <summary>
/// The runner renews its lease on a timer. These runs use a manual clock and fire the renewal
/// timer themselves, so each tick lands exactly where the test needs it, however busy the machine.
/// </summary>
public sealed class LeaseRenewalTests
{
    private static readonly TimeSpan PastRenewalPeriod = TimeSpan.FromSeconds(new JobOptions().LeaseSeconds);

    [Fact]
    public async Task A_renewal_extends_a_running_jobs_lease_so_no_other_worker_takes_it_when_the_first_lease_runs_out()
    {
        var time = new ManualTimeProvider();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tutor = new FakeTutor(async call =>
        {
            await release.Task.WaitAsync(call.CancellationToken);
            return FakeTutor.Answer("Finished after a long think.");
        });
        await using var queue = await QueueHarness.StartAsync(tutor);
        var jobId = await queue.EnqueueAsync();
        var run = queue.Create<JobRunner>(time).RunAsync((await queue.Create<JobClaimer>(time).TryClaimAsync(CancellationToken.None))!, CancellationToken.None);
        // The answer has taken most of the lease: one second is left.
        var firstExpiry = await queue.ScalarAsync<DateTime>(
            "UPDATE jobs SET lease_expires_at = now() + interval '1 second' WHERE id = @id RETURNING lease_expires_at", ("id", jobId));

        time.Advance(PastRenewalPeriod);
        time.FireTimers();
        await Eventually.HoldsAsync(
            () => queue.ScalarAsync<bool>("SELECT lease_expires_at > @first FROM jobs WHERE id = @id", ("first", firstExpiry), ("id", jobId)),
            "the renewal extended the lease");
        await Eventually.HoldsAsync(() => queue.ScalarAsync<bool>("SELECT now() > @first", ("first", firstExpiry)), "the first lease ran out");
        var intruder = await queue.Claimer.TryClaimAsync(CancellationToken.None);
        release.SetResult();
        await Eventually.WithinAsync(run, "the run ended");

        Assert.Null(intruder);
        var job = await queue.JobAsync(jobId);
        Assert.Equal((JobStatus.Completed, 1), (job.Status, job.Attempt));
        Assert.Equal(1, tutor.Calls);
    }

    [Fact]
    public async Task A_renewal_that_finds_the_job_cancelled_stops_the_tutor_and_writes_nothing()
    {
        var time = new ManualTimeProvider();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tutor = new FakeTutor(async call =>
        {
            using var _ = call.CancellationToken.Register(() => stopped.TrySetResult());
            started.SetResult();
            await Task.Delay(Timeout.Infinite, call.CancellationToken);
            return FakeTutor.Answer("never");
        });
        await using var queue = await QueueHarness.StartAsync(tutor);
        var jobId = await queue.EnqueueAsync();
        var run = queue.Create<JobRunner>(time).RunAsync((await queue.Create<JobClaimer>(time).TryClaimAsync(CancellationToken.None))!, CancellationToken.None);
        await Eventually.WithinAsync(started.Task, "the tutor started");
        await queue.Queue.CancelAsync(jobId, QueueHarness.Kind, QueueHarness.Owner, CancellationToken.None);

        time.Advance(PastRenewalPeriod);
        time.FireTimers();

        await Eventually.WithinAsync(stopped.Task, "the tutor was told to stop");
        await Eventually.WithinAsync(run, "the run ended");
        Assert.Equal(JobStatus.Cancelled, (await queue.JobAsync(jobId)).Status);
        Assert.Equal(JobEventType.Cancelled, (await queue.EventsAsync(jobId))[^1].Type);
        Assert.Empty(await queue.MessagesAsync(jobId, "assistant"));
    }

    /// <remarks>
    /// A tick landing while the host cancels the run must not throw out of the renewal: as an
    /// <c>async void</c> timer callback, an exception there was unhandled and ended the whole process.
    /// </remarks>
    [Fact]
    public async Task A_renewal_tick_during_shutdown_neither_crashes_the_process_nor_keeps_the_job_from_being_released()
    {
        var time = new ManualTimeProvider();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tutor = new FakeTutor(async call =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, call.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The lease is due for renewal exactly as the host cancels the run.
                time.Advance(PastRenewalPeriod);
                time.FireTimers();
                throw;
            }
            return FakeTutor.Answer("never");
        });
        await using var queue = await QueueHarness.StartAsync(tutor);
        var jobId = await queue.EnqueueAsync();
        using var shutdown = new CancellationTokenSource();

        var run = queue.Create<JobRunner>(time).RunAsync((await queue.Create<JobClaimer>(time).TryClaimAsync(CancellationToken.None))!, shutdown.Token);
        await Eventually.WithinAsync(started.Task, "the tutor started");
        await shutdown.CancelAsync();
        await Eventually.WithinAsync(run, "the run ended");

        var job = await queue.JobAsync(jobId);
        Assert.Equal((JobStatus.Pending, 1, (Guid?)null), (job.Status, job.Attempt, job.LeaseToken));
        Assert.Equal("PENDING 1", (await queue.EventsAsync(jobId))[^1].Describe());
    }
}
