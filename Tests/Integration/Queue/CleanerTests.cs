using BlazorJobs.Server.Jobs;
using BlazorJobs.Server.Tutor;

namespace BlazorJobs.Tests.Integration.Queue;

public sealed class CleanerTests
{
    [Fact]
    public async Task The_cleaner_deletes_finished_jobs_past_retention_with_their_events_and_keeps_the_rest()
    {
        var tutor = new FakeTutor(call => call.Request.Question.StartsWith("fail", StringComparison.Ordinal)
            ? Task.FromException<TutorAnswer>(new PermanentTutorException("No."))
            : Task.FromResult(FakeTutor.Answer("Yes.")));
        await using var queue = await QueueHarness.StartAsync(tutor, new JobOptions { RetentionDays = 7 });
        var oldCompleted = await queue.EnqueueAsync("old completed");
        var oldFailed = await queue.EnqueueAsync("fail, long ago");
        var recentCompleted = await queue.EnqueueAsync("recent completed");
        await queue.RunUntilEmptyAsync();
        var oldPending = await queue.EnqueueAsync("old but never finished");
        await queue.ExecuteAsync(
            "UPDATE jobs SET completed_at = now() - interval '8 days' WHERE id = ANY(@ids)", ("ids", new[] { oldCompleted, oldFailed }));
        await queue.ExecuteAsync("UPDATE jobs SET created_at = now() - interval '8 days' WHERE id = @id", ("id", oldPending));

        var (jobs, _) = await queue.Cleaner.CleanOnceAsync(CancellationToken.None);

        Assert.Equal(2, jobs);
        Assert.Equal(
            new[] { recentCompleted, oldPending }.Order(),
            (await AllJobIdsAsync(queue)).Order());
        Assert.Empty(await queue.EventsAsync(oldCompleted));
        Assert.Empty(await queue.EventsAsync(oldFailed));
        Assert.Equal(JobEventType.Completed, (await queue.EventsAsync(recentCompleted))[^1].Type);
        Assert.Single(await queue.EventsAsync(oldPending));
    }

    private static async Task<List<Guid>> AllJobIdsAsync(QueueHarness queue)
    {
        await using var command = queue.DataSource.CreateCommand("SELECT id FROM jobs");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }
}
