using BlazorJobs.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>
/// Push, not poll: a stream that waits costs no database query, however many wait. Measured with
/// pg_stat_statements on this test's database while 20 streams sit on jobs that never progress (the
/// worker is off) and heartbeat every 0.2 s.
/// </summary>
public sealed class NoQueryWhileWaitingTests(ManyWaitingStreamsFixture app, ITestOutputHelper output) : IClassFixture<ManyWaitingStreamsFixture>
{
    private const int WaitingStreams = 20;

    [Fact]
    public async Task Waiting_streams_cost_no_database_query_however_many_wait()
    {
        using var visitor = app.CreateClient();
        var jobs = new List<Accepted>();
        var streams = new List<HeartbeatWatch>();
        try
        {
            for (var i = 0; i < WaitingStreams; i++)
            {
                jobs.Add(await ChatApi.AskAsync(visitor, ChatApi.Landing, $"What is a stacking context? ({i})"));
                streams.Add(await HeartbeatWatch.OpenAsync(visitor, jobs[^1].StreamUrl));
            }
            await using var database = new NpgsqlConnection(app.ConnectionString);
            await database.OpenAsync();

            await StatementStats.ResetAsync(database);
            var heartbeatsAtReset = streams.Select(s => s.Heartbeats).ToArray();
            await Eventually.HoldsAsync(
                () => streams.Select((s, i) => s.Heartbeats - heartbeatsAtReset[i]).All(n => n >= 2),
                "every stream wrote two heartbeats since the reset");
            var whileWaiting = await StatementStats.SinceResetAsync(database);
            output.WriteLine($"While {WaitingStreams} streams waited: {whileWaiting.Sum(s => s.Calls)} statements in PostgreSQL");

            // A stream that queried on any wake-up would cost at least 2 x 20 here; what remains is the
            // process's own periodic work (the rollout guard, delivery bookkeeping), the same for 0 streams.
            Assert.True(whileWaiting.Sum(s => s.Calls) < WaitingStreams,
                $"Queries while {WaitingStreams} streams waited: {string.Join("; ", whileWaiting.Select(s => $"{s.Calls} x {s.Query}"))}");
            // The measure does see this app's queries: one poll shows up.
            (await visitor.GetAsync(jobs[0].PollUrl)).EnsureSuccessStatusCode();
            Assert.True((await StatementStats.SinceResetAsync(database)).Sum(s => s.Calls) > whileWaiting.Sum(s => s.Calls));
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }
}
