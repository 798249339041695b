using System.Net;
using BlazorJobs.Server.Streaming;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Pooler;

/// <summary>The two connection roles are separate: losing the pooler stops queries, not the direct LISTEN connection.</summary>
[Collection(PgBouncerCollection.Name)]
public sealed class PoolerOutageTests(PoolerOutageFixture app) : IClassFixture<PoolerOutageFixture>
{
    [Fact]
    public async Task With_the_pooler_down_the_instance_is_not_ready_but_keeps_listening()
    {
        using var visitor = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/health")).StatusCode);

        await app.Pooler.StopAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await visitor.GetAsync("/health")).StatusCode);
        var hub = app.Service<EventHub>();
        Assert.True(hub.IsListening);
        Assert.Equal(0, hub.Reconnects);
        // The listener is a live session on PostgreSQL itself, not through the pooler that is gone.
        var listeners = await app.ScalarAsync(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = @name",
            ("name", EventHub.ApplicationName));
        Assert.Equal(1L, listeners);
    }
}
