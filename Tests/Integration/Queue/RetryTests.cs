using BlazorJobs.Tests.Infrastructure;
using System.Text.Json;
using BlazorJobs.Server.Jobs;
using BlazorJobs.Server.Tutor;

namespace BlazorJobs.Tests.Integration.Queue;

public sealed class RetryTests
{
    [Fact]
    public async Task A_failing_job_is_retried_with_growing_back_off_then_fails_for_good_with_a_readable_message()
    {
        var tutor = FakeTutor.Throwing(() => new HttpRequestException("upstream model returned 503 (internal detail)"));
        var options = new JobOptions { MaxAttempts = 3, BackoffSeconds = 0.2 };
        await using var queue = await QueueHarness.StartAsync(tutor, options);
        var jobId = await queue.EnqueueAsync();

        await queue.StartWorkerAsync();
        await Eventually.HoldsAsync(async () => (await queue.JobAsync(jobId)).Status == JobStatus.Failed, "the job failed for good");

        var job = await queue.JobAsync(jobId);
        Assert.Equal(3, job.Attempt);
        Assert.Equal(JobRunner.GenericFailureMessage, job.ErrorMessage);
        Assert.Equal(3, tutor.Calls);
        var events = await queue.EventsAsync(jobId);
        Assert.Equal(
            ["PENDING 1", "PROCESSING 1", "PENDING 2", "PROCESSING 2", "PENDING 3", "PROCESSING 3", "failed"],
            events.Select(e => e.Describe()));
        Assert.Equal(JobRunner.GenericFailureMessage, JsonDocument.Parse(events[^1].Data).RootElement.GetProperty("error").GetString());
        // Each retry is claimed no earlier than its back-off: at least 80% of BackoffSeconds × 2^(attempt-2).
        Assert.True(events[3].CreatedAt - events[2].CreatedAt >= TimeSpan.FromSeconds(0.8 * 0.2), "first back-off respected");
        Assert.True(events[5].CreatedAt - events[4].CreatedAt >= TimeSpan.FromSeconds(0.8 * 0.4), "second back-off doubled");
        Assert.Empty(await queue.MessagesAsync(jobId, "assistant"));
    }

    [Fact]
    public async Task A_permanent_tutor_failure_fails_the_job_at_once_with_its_message()
    {
        const string message = "This question is too long for the tutor to answer.";
        var tutor = FakeTutor.Throwing(() => new PermanentTutorException(message));
        await using var queue = await QueueHarness.StartAsync(tutor, new JobOptions { MaxAttempts = 3 });
        var jobId = await queue.EnqueueAsync();

        await queue.Runner.RunAsync(await queue.ClaimAsync(), CancellationToken.None);

        var job = await queue.JobAsync(jobId);
        Assert.Equal((JobStatus.Failed, 1, message), (job.Status, job.Attempt, job.ErrorMessage));
        Assert.Equal(1, tutor.Calls);
        Assert.Null(await queue.Claimer.TryClaimAsync(CancellationToken.None));
        Assert.Equal(JobEventType.Failed, (await queue.EventsAsync(jobId))[^1].Type);
    }

    [Fact]
    public async Task Retrying_a_failed_job_puts_the_same_job_back_as_PENDING_with_the_next_attempt()
    {
        var tutor = new FakeTutor(call => call.Number == 1
            ? Task.FromException<TutorAnswer>(new PermanentTutorException("Not now."))
            : Task.FromResult(FakeTutor.Answer("Answered on retry.")));
        await using var queue = await QueueHarness.StartAsync(tutor);
        var jobId = await queue.EnqueueAsync();
        await queue.Runner.RunAsync(await queue.ClaimAsync(), CancellationToken.None);

        var change = await queue.Queue.RetryAsync(jobId, QueueHarness.Kind, QueueHarness.Owner, CancellationToken.None);

        Assert.Equal(JobChangeStatus.Changed, change);
        var job = await queue.JobAsync(jobId);
        Assert.Equal((JobStatus.Pending, 2, (string?)null), (job.Status, job.Attempt, job.ErrorMessage));
        Assert.Equal("PENDING 2", (await queue.EventsAsync(jobId))[^1].Describe());
        Assert.Equal(1, await queue.CountAsync("SELECT count(*) FROM jobs"));

        var lease = await queue.ClaimAsync();
        await queue.Runner.RunAsync(lease, CancellationToken.None);
        Assert.Equal((jobId, 2), (lease.Job.Id, lease.Job.Attempt));
        Assert.Equal(JobStatus.Completed, (await queue.JobAsync(jobId)).Status);
        Assert.Equal(["Answered on retry."], await queue.MessagesAsync(jobId, "assistant"));
    }

    [Fact]
    public async Task Retrying_a_completed_job_is_a_conflict_and_changes_nothing()
    {
        await using var queue = await QueueHarness.StartAsync(FakeTutor.Answering());
        var jobId = await queue.EnqueueAsync();
        await queue.RunUntilEmptyAsync();
        var before = await queue.JobAsync(jobId);

        var change = await queue.Queue.RetryAsync(jobId, QueueHarness.Kind, QueueHarness.Owner, CancellationToken.None);

        Assert.Equal(JobChangeStatus.Conflict, change);
        Assert.Equal(before, await queue.JobAsync(jobId));
    }

    [Theory]
    [InlineData(1, 2.0)]
    [InlineData(2, 4.0)]
    [InlineData(3, 8.0)]
    public async Task The_retry_delay_doubles_per_attempt_within_twenty_percent_jitter(int attempt, double expectedSeconds)
    {
        await using var queue = await QueueHarness.StartAsync(FakeTutor.Answering(), new JobOptions { BackoffSeconds = 2 });

        var delays = Enumerable.Range(0, 200).Select(_ => queue.Runner.Backoff(attempt).TotalSeconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, expectedSeconds * 0.8, expectedSeconds * 1.2));
        Assert.True(delays.Distinct().Count() > 1, "jitter spreads the retries of many jobs apart");
    }
}
