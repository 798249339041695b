using System.Collections.Concurrent;
using BlazorJobs.Server.Jobs;

namespace BlazorJobs.Tests.Integration.Queue;

public sealed class ClaimTests
{
    [Fact]
    public async Task Racing_claimers_never_run_one_job_twice_at_once()
    {
        const int jobCount = 60;
        var running = new ConcurrentDictionary<Guid, int>();
        var runs = new ConcurrentDictionary<Guid, int>();
        var overlaps = 0;
        var tutor = new FakeTutor(async call =>
        {
            var id = call.Request.JobId;
            runs.AddOrUpdate(id, 1, (_, n) => n + 1);
            if (running.AddOrUpdate(id, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }
            // Stay inside the tutor a moment, so a second claim of the same job would overlap this run.
            await Task.Delay(5, call.CancellationToken);
            running.AddOrUpdate(id, 0, (_, n) => n - 1);
            return FakeTutor.Answer($"Answer to {id}");
        });
        await using var queue = await QueueHarness.StartAsync(tutor);
        var jobs = await queue.EnqueueManyAsync(jobCount);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(queue.RunUntilEmptyAsync)));

        Assert.Equal(0, overlaps);
        Assert.All(jobs, id => Assert.Equal(1, runs.GetValueOrDefault(id)));
        Assert.Equal(jobCount, await queue.CountAsync("SELECT count(*) FROM jobs WHERE status = 'COMPLETED' AND attempt = 1"));
    }

    [Fact]
    public async Task A_job_whose_worker_died_is_reclaimed_as_the_next_attempt_and_completed()
    {
        await using var queue = await QueueHarness.StartAsync(FakeTutor.Answering("Recovered answer."));
        var jobId = await queue.EnqueueAsync();
        var dead = await queue.ClaimAsync();
        await queue.ExpireLeaseAsync(jobId);

        var reclaimed = await queue.ClaimAsync();
        await queue.Runner.RunAsync(reclaimed, CancellationToken.None);

        Assert.Equal(jobId, reclaimed.Job.Id);
        Assert.Equal(dead.Job.Attempt + 1, reclaimed.Job.Attempt);
        Assert.NotEqual(dead.Job.LeaseToken, reclaimed.Job.LeaseToken);
        var job = await queue.JobAsync(jobId);
        Assert.Equal((JobStatus.Completed, 2), (job.Status, job.Attempt));
        Assert.Equal(["Recovered answer."], await queue.MessagesAsync(jobId, "assistant"));
    }

    [Fact]
    public async Task A_job_with_a_live_lease_is_not_claimed_by_another_worker()
    {
        await using var queue = await QueueHarness.StartAsync(FakeTutor.Answering());
        await queue.EnqueueAsync();
        await queue.ClaimAsync();

        Assert.Null(await queue.Claimer.TryClaimAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_job_reclaimed_after_its_last_attempt_fails_with_a_readable_message_without_asking_the_tutor_again()
    {
        var tutor = FakeTutor.Answering();
        await using var queue = await QueueHarness.StartAsync(tutor, new JobOptions { MaxAttempts = 1 });
        var jobId = await queue.EnqueueAsync();
        await queue.ClaimAsync();
        await queue.ExpireLeaseAsync(jobId);

        await queue.Runner.RunAsync(await queue.ClaimAsync(), CancellationToken.None);

        var job = await queue.JobAsync(jobId);
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(JobRunner.GenericFailureMessage, job.ErrorMessage);
        Assert.Equal(0, tutor.Calls);
        Assert.Empty(await queue.MessagesAsync(jobId, "assistant"));
    }
}
