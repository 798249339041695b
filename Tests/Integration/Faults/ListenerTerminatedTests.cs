using System.Diagnostics;
using BlazorJobs.Server.Streaming;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Streams;
using Npgsql;
using Xunit.Abstractions;

namespace BlazorJobs.Tests.Integration.Faults;

/// <summary>
/// Issue 10's fault suite: the LISTEN connection terminated (<c>pg_terminate_backend</c>) in real server
/// processes while answers are streaming. Two instances share the database — A serves the streams and
/// runs no worker, B answers — so every event A's streams carry crossed PostgreSQL's NOTIFY, and both
/// listeners are killed at once: A's streams must miss nothing, and B's worker must still be woken for
/// questions asked after the kill.
/// </summary>
public sealed class ListenerTerminatedTests(ITestOutputHelper output)
{
    private const int JobsBeforeTheKill = 4;
    private const int JobsAfterTheKill = 2;

    [Fact]
    public async Task Streams_open_when_every_listener_is_terminated_miss_no_event_and_every_job_is_answered_once()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var front = await FaultServer.StartAsync(new Dictionary<string, string>(FaultServer.Settings(database, answerMs: 3000, deltas: 15)) { ["Worker__Enabled"] = "false" });
        await using var back = await FaultServer.StartAsync(FaultServer.Settings(database, answerMs: 3000, deltas: 15));
        using var visitor = front.CreateClient();
        using var learner = await FaultSteps.NewLearnerAsync(front);
        await WaitForListenersAsync(database, 2);

        var first = await ChatApi.AskAsync(learner, ChatApi.Tutor, "What is a CSS selector?");
        await ChatApi.WaitForTerminalAsync(learner, first.PollUrl, TimeSpan.FromSeconds(60));
        await using var session = await RawStream.OpenAsync(learner, SessionEvents.StreamUrl(first.SessionId));
        Assert.Equal("connected", (await FaultSteps.NextEventAsync(session))?.EventType);

        var streams = new List<RawStream>();
        try
        {
            for (var i = 0; i < JobsBeforeTheKill; i++)
            {
                var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, $"What is a grid track? ({i})");
                streams.Add(await FaultSteps.OpenJobStreamAsync(visitor, job.StreamUrl));
            }
            await FaultSteps.ReadUntilEventAsync(streams[0], "delta"); // mid-answer

            var killed = Stopwatch.StartNew();
            Assert.Equal(2L, await TerminateListenersAsync(database));
            for (var i = 0; i < JobsAfterTheKill; i++)
            {
                var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, $"What is a grid area? ({i})");
                streams.Add(await FaultSteps.OpenJobStreamAsync(visitor, job.StreamUrl));
            }
            var tutorAfter = await ChatApi.AskAsync(learner, ChatApi.Tutor, "And what is specificity?", first.SessionId);
            await WaitForListenersAsync(database, 2);
            var listening = killed.Elapsed;

            var streamed = await Task.WhenAll(streams.Select(FaultSteps.ReadEventsToEndAsync));
            Assert.All(streamed, events => Assert.Equal("completed", events[^1].Type));
            // The first stream read up to a delta above; every other stream is whole from its first status on.
            Assert.All(streamed.Skip(1), FaultSteps.AssertEndsWithItsAnswer);
            var update = await FaultSteps.ReadSessionUntilAnsweredAsync(session, tutorAfter.JobId);
            Assert.Equal("COMPLETED", update.Status);
            var answered = killed.Elapsed;

            output.WriteLine($"both listeners back in {listening.TotalSeconds:0.0} s");
            (await JobLedger.ReadAsync(database)).AssertAllAnsweredOnce(
                1 + JobsBeforeTheKill + JobsAfterTheKill + 1, output, "Every listener terminated under open streams", answered, "all answered in");
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    /// <summary>Terminates every app listener on this test database (both instances use the same application name).</summary>
    private static async Task<long> TerminateListenersAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE application_name = @name AND datname = current_database()
            """,
            connection);
        command.Parameters.AddWithValue("name", EventHub.ApplicationName);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static Task WaitForListenersAsync(string database, long count) => Eventually.HoldsAsync(async () =>
    {
        await using var connection = new NpgsqlConnection(database + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT count(*) FROM pg_stat_activity
            WHERE application_name = @name AND datname = current_database() AND query ILIKE 'LISTEN%'
            """,
            connection);
        command.Parameters.AddWithValue("name", EventHub.ApplicationName);
        return (long)(await command.ExecuteScalarAsync())! == count;
    }, $"{count} listeners to be listening", TimeSpan.FromSeconds(60));
}
