using BlazorJobs.Tests.Infrastructure;
using System.Collections.Concurrent;

namespace BlazorJobs.Tests.Integration.Queue;

public sealed class NoJobLostTests
{
    [Fact]
    public async Task A_thousand_jobs_enqueued_while_four_workers_run_are_each_completed_exactly_once()
    {
        const int jobCount = 1000;
        var answered = new ConcurrentDictionary<Guid, int>();
        var tutor = new FakeTutor(call =>
        {
            answered.AddOrUpdate(call.Request.JobId, 1, (_, n) => n + 1);
            return Task.FromResult(FakeTutor.Answer($"Answer to: {call.Request.Question}"));
        });
        await using var queue = await QueueHarness.StartAsync(tutor);
        for (var i = 0; i < 4; i++)
        {
            await queue.StartWorkerAsync(concurrency: 2);
        }

        var jobIds = new ConcurrentBag<Guid>();
        await Parallel.ForAsync(0, jobCount, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (i, _) => jobIds.Add(await queue.EnqueueAsync($"Question {i}")));
        await Eventually.HoldsAsync(
            async () => await queue.CountAsync("SELECT count(*) FROM jobs WHERE status <> 'COMPLETED'") == 0,
            "every job is completed", TimeSpan.FromSeconds(90));

        Assert.Equal(jobCount, jobIds.Distinct().Count());
        Assert.Equal(jobCount, await queue.CountAsync("SELECT count(*) FROM jobs WHERE status = 'COMPLETED' AND attempt = 1"));
        Assert.Equal(0, await queue.CountAsync(
            "SELECT count(*) FROM jobs j WHERE (SELECT count(*) FROM job_events e WHERE e.job_id = j.id AND e.type = 'completed') <> 1"));
        Assert.Equal(0, await queue.CountAsync(
            """
            SELECT count(*) FROM jobs j
            WHERE (SELECT count(*) FROM chat_messages m WHERE m.job_id = j.id AND m.role = 'assistant'
                   AND m.text = 'Answer to: ' || j.question) <> 1
            """));
        Assert.Equal(jobCount, tutor.Calls);
        Assert.All(jobIds, id => Assert.Equal(1, answered.GetValueOrDefault(id)));
    }
}
