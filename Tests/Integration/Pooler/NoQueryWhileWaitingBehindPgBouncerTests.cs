using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Streams;
using Npgsql;
using Xunit.Abstractions;

namespace BlazorJobs.Tests.Integration.Pooler;

/// <summary>
/// Push, not poll, behind the pooler too: the stream wakes on the direct LISTEN connection, so 20
/// streams waiting on jobs that never progress cost no query through PgBouncer — the same figure as
/// <see cref="NoQueryWhileWaitingTests"/> measures without it (pg_stat_statements on the test's database).
/// </summary>
[Collection(PgBouncerCollection.Name)]
public sealed class NoQueryWhileWaitingBehindPgBouncerTests(WaitingStreamsBehindPgBouncerFixture app, ITestOutputHelper output)
    : IClassFixture<WaitingStreamsBehindPgBouncerFixture>
{
    private const int WaitingStreams = 20;

    [Fact]
    public async Task Waiting_streams_cost_no_database_query_behind_the_pooler()
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
            var carriedAtReset = await app.Pooler.TransactionsCarriedAsync();
            var heartbeatsAtReset = streams.Select(s => s.Heartbeats).ToArray();
            await Eventually.HoldsAsync(
                () => streams.Select((s, i) => s.Heartbeats - heartbeatsAtReset[i]).All(n => n >= 2),
                "every stream wrote two heartbeats since the reset");
            var whileWaiting = await StatementStats.SinceResetAsync(database);
            var carriedWhileWaiting = await app.Pooler.TransactionsCarriedAsync() - carriedAtReset;
            output.WriteLine($"While {WaitingStreams} streams waited: {whileWaiting.Sum(s => s.Calls)} statements in PostgreSQL, {carriedWhileWaiting} transactions through PgBouncer");

            Assert.True(whileWaiting.Sum(s => s.Calls) < WaitingStreams,
                $"Queries while {WaitingStreams} streams waited: {string.Join("; ", whileWaiting.Select(s => $"{s.Calls} x {s.Query}"))}");
            // The pooler's own count agrees: what it carried meanwhile is the process's periodic work, not the streams'.
            Assert.True(carriedWhileWaiting < WaitingStreams, $"PgBouncer carried {carriedWhileWaiting} transactions while the streams waited");
            // The measure does see the app's queries through the pooler: one poll shows up.
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
