using BlazorJobs.Server.Streaming;
using BlazorJobs.Tests.Infrastructure;
using Npgsql;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>
/// The one LISTEN connection dies (a failover, an idle-connection killer, a DBA): notifications sent
/// while it is down are lost, so the hub reconnects and every stream re-reads what it missed.
/// </summary>
public sealed class ListenerLossTests(StreamingJobsFixture app) : IClassFixture<StreamingJobsFixture>
{
    [Fact]
    public async Task Streams_waiting_when_the_listener_is_killed_still_get_every_event()
    {
        var hub = app.Service<EventHub>();
        await hub.Listening;
        var reconnectsBefore = hub.Reconnects;
        using var visitor = app.CreateClient();
        var streams = new List<LiveStream>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, $"What is a CSS pseudo-class? ({i})");
                var stream = await LiveStream.OpenAsync(visitor, job.StreamUrl);
                await stream.NextAsync(); // subscribed and replayed: now waiting on the hub
                streams.Add(stream);
            }

            Assert.Equal(1L, await KillListenerAsync());
            var askedAfterTheKill = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is a CSS pseudo-element?");
            await Task.WhenAll(streams.Select(s => s.ReadToEndAsync()));

            Assert.All(streams, s => JobEvents.AssertWholeAnsweredJob(s.Received));
            JobEvents.AssertWholeAnsweredJob(await SseTestClient.ReadJobStreamAsync(visitor, askedAfterTheKill.StreamUrl));
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
        await Eventually.HoldsAsync(() => hub.Reconnects > reconnectsBefore, "the hub reconnected its listener");
    }

    [Fact]
    public async Task A_session_stream_open_when_the_listener_is_killed_misses_no_update()
    {
        using var laptop = await app.CreateNewLearnerClientAsync();
        using var phone = StreamClients.SameLearnerAs(app, laptop);
        var first = await ChatApi.AskAsync(laptop, ChatApi.Tutor, "What is a CSS custom property?");
        await ChatApi.WaitForTerminalAsync(laptop, first.PollUrl);
        await using var stream = await LiveStream.OpenAsync(laptop, SessionEvents.StreamUrl(first.SessionId));
        await stream.NextAsync(); // connected: subscribed, and opened without Last-Event-ID

        Assert.Equal(1L, await KillListenerAsync());
        var asked = await ChatApi.AskAsync(phone, ChatApi.Tutor, "And what is calc()?", first.SessionId);
        var updates = await stream.ReadUntilAsync(e => SessionEvents.Update(e).HasResult);

        Assert.All(updates, e => Assert.Equal(asked.JobId, SessionEvents.Update(e).JobId));
        Assert.Equal(["PENDING", "PROCESSING", "COMPLETED"], updates.Select(e => SessionEvents.Update(e).Status));
    }

    [Fact]
    public async Task Losing_the_listener_alone_keeps_the_pooled_connections()
    {
        // PostgreSQL did not restart, so the pool's connections are alive: reopening them all on top of every stream's
        // re-sync read held up the worker for a second or two under load (docs/benchmarks.md, target 9).
        var hub = app.Service<EventHub>();
        await hub.Listening;
        var reconnectsBefore = hub.Reconnects;
        var pooled = await PooledBackendPidAsync();

        Assert.Equal(1L, await KillListenerAsync());
        await Eventually.HoldsAsync(() => hub.Reconnects > reconnectsBefore, "the hub reconnected its listener");
        await PooledBackendPidAsync(); // a round trip through the pool after the reconnect

        Assert.Equal(1L, await app.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE pid = @pid", ("pid", pooled)));
    }

    /// <summary>The backend behind a pooled connection of the app's data source, which goes back to the pool idle.</summary>
    private async Task<int> PooledBackendPidAsync()
    {
        await using var connection = await app.Service<NpgsqlDataSource>().OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Terminates this app's listener backend (only this test database's: other apps share the server).</summary>
    private async Task<long> KillListenerAsync() => (long)(await app.ScalarAsync(
        """
        SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
        WHERE application_name = @name AND datname = current_database()
        """,
        ("name", EventHub.ApplicationName)))!;
}
