using System.Diagnostics;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Streams;
using Xunit.Abstractions;

namespace BlazorJobs.Tests.Integration.Faults;

/// <summary>
/// Issue 10, case 1: PostgreSQL restarted (<c>pg_ctl restart -m fast</c>) under open job, session and
/// feed streams. The pool is left holding dead connections and the listener must reconnect; no stream
/// may be cut, every job stream ends with <c>completed</c>, and every job is answered exactly once.
/// </summary>
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    private const int JobCount = 6;

    [Fact]
    public async Task Streams_open_across_a_postgres_restart_stay_open_and_every_job_is_answered_once()
    {
        await using var cluster = await FaultCluster.StartAsync();
        var database = await cluster.CreateDatabaseAsync("faults");
        await using var server = await FaultServer.StartAsync(FaultServer.Settings(database, answerMs: 4000, deltas: 20));
        using var visitor = server.CreateClient();
        using var learner = await FaultSteps.NewLearnerAsync(server);

        var before = await ChatApi.AskAsync(learner, ChatApi.Tutor, "What is a CSS selector?");
        await ChatApi.WaitForTerminalAsync(learner, before.PollUrl, TimeSpan.FromSeconds(60));
        await using var session = await RawStream.OpenAsync(learner, SessionEvents.StreamUrl(before.SessionId));
        Assert.Equal("connected", (await FaultSteps.NextEventAsync(session))?.EventType);
        await using var feed = await RawStream.OpenAsync(visitor, "/api/feed/stream");
        await FaultSteps.ReadUntilEventAsync(feed, "feed_complete");

        var jobs = new List<(Accepted Job, RawStream Stream)>();
        try
        {
            for (var i = 0; i < JobCount; i++)
            {
                var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, $"What is a flex container? ({i})");
                jobs.Add((job, await FaultSteps.OpenJobStreamAsync(visitor, job.StreamUrl)));
            }
            // Mid-answer: the first job's stream has seen a delta.
            await FaultSteps.ReadUntilEventAsync(jobs[0].Stream, "delta");

            var restart = Stopwatch.StartNew();
            await cluster.RestartAsync();
            var after = await FaultSteps.AskWhenAcceptedAsync(learner, ChatApi.Tutor, "And what is a pseudo-class?", before.SessionId);
            var recovered = restart.Elapsed;

            var streamed = await Task.WhenAll(jobs.Select(j => FaultSteps.ReadEventsToEndAsync(j.Stream)));
            Assert.All(streamed, events => Assert.Equal("completed", events[^1].Type));
            // The first stream read its opening events above; the others are whole from the first status on.
            Assert.All(streamed.Skip(1), FaultSteps.AssertEndsWithItsAnswer);

            var update = await FaultSteps.ReadSessionUntilAnsweredAsync(session, after.JobId);
            Assert.Equal("COMPLETED", update.Status);
            // The feed stream is still open and still heartbeating after the restart.
            Assert.True((await feed.NextAsync(FaultSteps.BlockTimeout)) is not null, "the feed stream was closed by the restart");

            await ChatApi.WaitForTerminalAsync(learner, after.PollUrl, TimeSpan.FromSeconds(60));
            (await JobLedger.ReadAsync(database)).AssertAllAnsweredOnce(JobCount + 2, output, "PostgreSQL restarted under open streams", recovered);
        }
        finally
        {
            foreach (var (_, stream) in jobs)
            {
                await stream.DisposeAsync();
            }
        }
    }
}
