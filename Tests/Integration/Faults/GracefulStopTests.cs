using System.Diagnostics;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Streams;
using Npgsql;
using Xunit.Abstractions;

namespace BlazorJobs.Tests.Integration.Faults;

/// <summary>
/// Issue 10, case 8: SIGTERM with jobs in flight. Every open stream ends at once with what its client
/// resumes from (job streams: <c>timeout</c>; session and feed streams: a cleanly closed response), the
/// shutdown timeout is spent on the jobs, the jobs the worker could not finish are released (PENDING, no
/// lease) rather than left to their lease's expiry, and the next process answers each of them once.
/// </summary>
public sealed class GracefulStopTests(ITestOutputHelper output)
{
    private const int LandingJobs = 3;

    [Fact]
    public async Task On_sigterm_streams_end_resumably_and_unfinished_jobs_are_released_to_the_next_process()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var jobs = new List<(Accepted Job, string LastEventId)>();
        // Cookies are not bound to a port: the visitor of the first process is the same visitor on the next.
        var visitorCookies = new System.Net.CookieContainer();
        Accepted tutorJob;
        TimeSpan streamsEnded;
        var stopping = await FaultServer.StartAsync(new Dictionary<string, string>(FaultServer.Settings(database, answerMs: 60_000, deltas: 60))
        {
            // Jobs of a minute, a shutdown timeout of 6 s: the worker must give its jobs back.
            ["DOTNET_shutdownTimeoutSeconds"] = "6",
        });
        await using (stopping)
        {
            using var visitor = stopping.CreateClient(visitorCookies);
            using var learner = await FaultSteps.NewLearnerAsync(stopping);
            tutorJob = await ChatApi.AskAsync(learner, ChatApi.Tutor, "What is a media query?");
            await using var session = await RawStream.OpenAsync(learner, SessionEvents.StreamUrl(tutorJob.SessionId));
            await FaultSteps.ReadUntilEventAsync(session, "connected");
            await using var feed = await RawStream.OpenAsync(visitor, "/api/feed/stream");
            await FaultSteps.ReadUntilEventAsync(feed, "feed_complete");
            var streams = new List<RawStream>();
            try
            {
                for (var i = 0; i < LandingJobs; i++)
                {
                    var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, $"What is a container query? ({i})");
                    var stream = await FaultSteps.OpenJobStreamAsync(visitor, job.StreamUrl);
                    streams.Add(stream);
                    jobs.Add((job, (await FaultSteps.ReadUntilEventAsync(stream, "delta")).Id!));
                }

                var sigterm = Stopwatch.StartNew();
                stopping.Terminate();
                var jobStreams = await Task.WhenAll(streams.Select(FaultSteps.ReadEventsToEndAsync));
                var sessionRest = await FaultSteps.ReadEventsToEndAsync(session);
                var feedRest = await FaultSteps.ReadEventsToEndAsync(feed);
                streamsEnded = sigterm.Elapsed;

                Assert.All(jobStreams, events => Assert.Equal("timeout", events[^1].Type));
                Assert.DoesNotContain(sessionRest, e => e.Type is "completed" or "failed");
                Assert.DoesNotContain(feedRest, e => e.Type == "feed_error");
                await stopping.WaitForExitAsync(TimeSpan.FromSeconds(60));
                output.WriteLine($"SIGTERM: every stream ended {streamsEnded.TotalSeconds:0.0} s after the signal; the process exited after {sigterm.Elapsed.TotalSeconds:0.0} s");
            }
            finally
            {
                foreach (var stream in streams)
                {
                    await stream.DisposeAsync();
                }
            }
        }

        // Released at shutdown, not left PROCESSING until the lease runs out.
        Assert.Equal(LandingJobs + 1L, await ScalarAsync(database, "SELECT count(*) FROM jobs WHERE status = 'PENDING' AND lease_token IS NULL"));

        var restarted = Stopwatch.StartNew();
        await using var next = await FaultServer.StartAsync(FaultServer.Settings(database, answerMs: 1500, deltas: 10));
        using var resumed = next.CreateClient(visitorCookies);
        foreach (var (job, lastEventId) in jobs)
        {
            await using var stream = await RawStream.OpenAsync(resumed, job.StreamUrl, lastEventId);
            var events = await FaultSteps.ReadEventsToEndAsync(stream);
            FaultSteps.AssertEndsWithItsAnswer(events);
        }
        await Eventually.HoldsAsync(
            async () => await ScalarAsync(database, "SELECT count(*) FROM jobs WHERE status = 'COMPLETED'") == LandingJobs + 1L,
            "the tutor job to be answered by the next process", TimeSpan.FromSeconds(60));

        (await JobLedger.ReadAsync(database)).AssertAllAnsweredOnce(LandingJobs + 1, output, "Graceful stop with jobs in flight", restarted.Elapsed, "all answered by the next process in");
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
