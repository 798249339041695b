using BlazorJobs.Server.Jobs;

namespace BlazorJobs.Tests.Integration.Queue;

public sealed class EnqueueTests
{
    [Fact]
    public async Task Enqueue_writes_event_1_status_PENDING_and_the_user_message_once()
    {
        await using var queue = await QueueHarness.StartAsync(FakeTutor.Answering());
        const string question = "How do I centre a div with flexbox?";

        var jobId = await queue.EnqueueAsync(question);

        var job = await queue.JobAsync(jobId);
        Assert.Equal((JobStatus.Pending, 1, 1), (job.Status, job.Attempt, job.LastEventSeq));
        var only = Assert.Single(await queue.EventsAsync(jobId));
        Assert.Equal((1, "PENDING 1"), (only.Seq, only.Describe()));
        Assert.Equal([question], await queue.MessagesAsync(jobId, "user"));
    }

    [Fact]
    public async Task A_repeated_enqueue_with_the_same_idempotency_key_returns_the_first_job_without_a_second_message()
    {
        await using var queue = await QueueHarness.StartAsync(FakeTutor.Answering());
        var command = QueueHarness.Command("What is the box model?", idempotencyKey: "key-1");

        var first = await queue.Queue.EnqueueAsync(command, CancellationToken.None);
        var repeat = await queue.Queue.EnqueueAsync(command, CancellationToken.None);

        Assert.Equal(EnqueueStatus.Accepted, repeat.Status);
        Assert.Equal((first.JobId, first.SessionId), (repeat.JobId, repeat.SessionId));
        Assert.Equal(1, await queue.CountAsync("SELECT count(*) FROM jobs"));
        Assert.Single(await queue.MessagesAsync(first.JobId, "user"));
        Assert.Single(await queue.EventsAsync(first.JobId));
    }
}
