using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Server.Jobs;

namespace BlazorJobs.Tests.Integration.Queue;

public sealed class CancelTests
{
    [Fact]
    public async Task A_cancelled_jobs_worker_is_fenced_out_and_writes_no_answer()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tutor = new FakeTutor(async call =>
        {
            await call.Progress.WriteDeltaAsync("A partial ", call.CancellationToken);
            started.SetResult();
            // A tutor that does not notice the cancellation: it finishes and tries to write its answer.
            await proceed.Task;
            await call.Progress.WriteDeltaAsync("answer nobody wants.", CancellationToken.None);
            return FakeTutor.Answer("A partial answer nobody wants.");
        });
        await using var queue = await QueueHarness.StartAsync(tutor);
        var jobId = await queue.EnqueueAsync();
        var run = queue.Runner.RunAsync(await queue.ClaimAsync(), CancellationToken.None);
        await Eventually.WithinAsync(started.Task, "the tutor started");

        var change = await queue.Queue.CancelAsync(jobId, QueueHarness.Kind, QueueHarness.Owner, CancellationToken.None);
        proceed.SetResult();
        await Eventually.WithinAsync(run, "the run ended");

        Assert.Equal(JobChangeStatus.Changed, change);
        Assert.Equal(JobStatus.Cancelled, (await queue.JobAsync(jobId)).Status);
        Assert.Empty(await queue.MessagesAsync(jobId, "assistant"));
        Assert.Equal(JobEventType.Cancelled, (await queue.EventsAsync(jobId))[^1].Type);
    }

    [Fact]
    public async Task Cancelling_a_finished_job_is_a_conflict()
    {
        await using var queue = await QueueHarness.StartAsync(FakeTutor.Answering());
        var jobId = await queue.EnqueueAsync();
        await queue.RunUntilEmptyAsync();

        var change = await queue.Queue.CancelAsync(jobId, QueueHarness.Kind, QueueHarness.Owner, CancellationToken.None);

        Assert.Equal(JobChangeStatus.Conflict, change);
        Assert.Equal(JobStatus.Completed, (await queue.JobAsync(jobId)).Status);
    }
}
