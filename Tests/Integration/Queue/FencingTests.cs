using BlazorJobs.Server.Jobs;

namespace BlazorJobs.Tests.Integration.Queue;

public sealed class FencingTests
{
    [Fact]
    public async Task A_stale_workers_late_writes_are_rejected_and_change_nothing()
    {
        await using var queue = await QueueHarness.StartAsync(FakeTutor.Answering());
        var jobId = await queue.EnqueueAsync();
        var stale = await queue.ClaimAsync();
        await queue.ExpireLeaseAsync(jobId);
        var current = await queue.ClaimAsync();
        var jobBefore = await queue.JobAsync(jobId);
        var eventsBefore = await queue.EventsAsync(jobId);

        await Assert.ThrowsAsync<LeaseLostException>(() => stale.AppendAsync(JobEventType.Delta, new { text = "late words" }, CancellationToken.None));
        await Assert.ThrowsAsync<LeaseLostException>(() => stale.CompleteAsync(FakeTutor.Answer("The stale answer."), CancellationToken.None));
        await Assert.ThrowsAsync<LeaseLostException>(() => stale.FailAsync("stale failure", CancellationToken.None));
        await Assert.ThrowsAsync<LeaseLostException>(() => stale.RenewAsync(CancellationToken.None));

        Assert.Equal(jobBefore, await queue.JobAsync(jobId));
        Assert.Equal(eventsBefore, await queue.EventsAsync(jobId));
        Assert.Empty(await queue.MessagesAsync(jobId, "assistant"));
        Assert.Equal(current.Job.LeaseToken, jobBefore.LeaseToken);
    }

    [Fact]
    public async Task The_current_holder_completes_normally_after_a_stale_write_was_rejected()
    {
        await using var queue = await QueueHarness.StartAsync(FakeTutor.Answering());
        var jobId = await queue.EnqueueAsync();
        var stale = await queue.ClaimAsync();
        await queue.ExpireLeaseAsync(jobId);
        var current = await queue.ClaimAsync();
        await Assert.ThrowsAsync<LeaseLostException>(() => stale.CompleteAsync(FakeTutor.Answer("The stale answer."), CancellationToken.None));

        await current.CompleteAsync(FakeTutor.Answer("The current answer."), CancellationToken.None);

        Assert.Equal(JobStatus.Completed, (await queue.JobAsync(jobId)).Status);
        Assert.Equal(["The current answer."], await queue.MessagesAsync(jobId, "assistant"));
        Assert.Single(await queue.EventsAsync(jobId), e => e.Type == JobEventType.Completed);
    }
}
