using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Server.Jobs;

namespace BlazorJobs.Tests.Integration.Queue;

public sealed class WorkerShutdownTests
{
    [Fact]
    public async Task Stopping_a_worker_releases_its_unfinished_job_to_PENDING_and_another_worker_completes_it()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tutor = new FakeTutor(async call =>
        {
            if (call.Number == 1)
            {
                // A long answer: still running when the host wants to stop.
                started.SetResult();
                await Task.Delay(Timeout.Infinite, call.CancellationToken);
            }
            return FakeTutor.Answer("Answered by the second worker.");
        });
        await using var queue = await QueueHarness.StartAsync(tutor);
        var jobId = await queue.EnqueueAsync();
        var first = await queue.StartWorkerAsync(shutdownTimeout: TimeSpan.FromSeconds(1));
        await Eventually.WithinAsync(started.Task, "the first worker started the job");

        using (var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await first.StopAsync(stopTimeout.Token);
        }

        var released = await queue.JobAsync(jobId);
        Assert.Equal((JobStatus.Pending, 1, (Guid?)null), (released.Status, released.Attempt, released.LeaseToken));
        Assert.Equal("PENDING 1", (await queue.EventsAsync(jobId))[^1].Describe());

        await queue.StartWorkerAsync();
        await Eventually.HoldsAsync(async () => (await queue.JobAsync(jobId)).Status == JobStatus.Completed, "the second worker completed the job");
        Assert.Equal(["Answered by the second worker."], await queue.MessagesAsync(jobId, "assistant"));
        Assert.Equal(2, tutor.Calls);
    }

    [Fact]
    public async Task A_job_that_finishes_within_the_shutdown_grace_period_is_completed_not_released()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tutor = new FakeTutor(async call =>
        {
            started.SetResult();
            await finish.Task.WaitAsync(call.CancellationToken);
            return FakeTutor.Answer("Finished during shutdown.");
        });
        await using var queue = await QueueHarness.StartAsync(tutor);
        var jobId = await queue.EnqueueAsync();
        var worker = await queue.StartWorkerAsync(shutdownTimeout: TimeSpan.FromSeconds(20));
        await Eventually.WithinAsync(started.Task, "the worker started the job");

        var stopping = worker.StopAsync(CancellationToken.None);
        finish.SetResult();
        await Eventually.WithinAsync(stopping, "the worker stopped");

        Assert.Equal(JobStatus.Completed, (await queue.JobAsync(jobId)).Status);
        Assert.Equal(["Finished during shutdown."], await queue.MessagesAsync(jobId, "assistant"));
    }
}
