using System.Text.Json;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Streaming;
using BlazorJobs.Tests.Infrastructure;
using Npgsql;

namespace BlazorJobs.Tests.Integration.Pooler;

/// <summary>
/// README, "Behind PgBouncer": with every query through a real PgBouncer in transaction mode (fewer
/// server connections than clients) and LISTEN straight to PostgreSQL, questions are enqueued,
/// streamed live and completed over real HTTP, and start-up leaves no session state behind.
/// </summary>
[Collection(PgBouncerCollection.Name)]
public sealed class BehindPgBouncerTests(BehindPgBouncerFixture app) : IClassFixture<BehindPgBouncerFixture>
{
    /// <summary>More at once than the pooler has server connections, so their transactions share them.</summary>
    private const int Questions = 2 * PgBouncer.ServerConnections;

    [Fact]
    public async Task Questions_are_enqueued_streamed_live_and_completed_through_the_pooler()
    {
        var carriedBefore = await app.Pooler.TransactionsCarriedAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, Questions).Select(i => AskAndStreamAsync($"What is a flex container? ({i})")));

        foreach (var (events, poll) in answers)
        {
            // Deltas arrive while the job runs: the stream heard its NOTIFYs over the direct LISTEN connection.
            Assert.Contains(events, e => e.Type == "delta");
            var completed = events[^1];
            Assert.Equal("completed", completed.Type);
            Assert.Equal("COMPLETED", poll.Status);
            var answer = JsonDocument.Parse(completed.Data).RootElement.GetProperty("answer").GetString();
            Assert.Equal(poll.Result!.Answer, answer);
            Assert.StartsWith(string.Concat(events.Where(e => e.Type == "delta").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("text").GetString())), answer, StringComparison.Ordinal);
        }
        Assert.True(await app.Pooler.TransactionsCarriedAsync() > carriedBefore, "the app's queries went through the pooler");
        var hub = app.Service<EventHub>();
        Assert.True(hub.IsListening);
        Assert.Equal(0, hub.Reconnects);
    }

    [Fact]
    public async Task Start_up_migrates_and_leaves_no_session_lock_held_behind_the_pooler()
    {
        var advisoryLocks = await app.ScalarAsync(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        var migrations = await app.ScalarAsync("SELECT count(*) FROM \"__EFMigrationsHistory\"");

        Assert.Equal(0L, advisoryLocks);
        Assert.True((long)migrations! > 0);
    }

    [Fact]
    public void The_pooled_connections_do_not_auto_prepare_and_only_the_listener_bypasses_the_pooler()
    {
        var pooled = new NpgsqlConnectionStringBuilder(app.Service<NpgsqlDataSource>().ConnectionString);
        var direct = new NpgsqlConnectionStringBuilder(app.Service<DatabaseConnections>().Direct);

        // PgBouncer 1.18 would hand a statement prepared on one server connection to another, which knows nothing of it.
        Assert.Equal(0, pooled.MaxAutoPrepare);
        Assert.Equal(app.Pooler.Port, pooled.Port);
        Assert.Equal(new NpgsqlConnectionStringBuilder(app.ConnectionString).Host, direct.Host);
    }

    private async Task<(List<ReceivedEvent> Events, PollBody Poll)> AskAndStreamAsync(string question)
    {
        using var visitor = app.CreateClient();
        var accepted = await ChatApi.AskAsync(visitor, ChatApi.Landing, question);
        var events = await SseTestClient.ReadJobStreamAsync(visitor, accepted.StreamUrl);
        var poll = await ChatApi.WaitForTerminalAsync(visitor, accepted.PollUrl);
        return (events, poll);
    }
}
