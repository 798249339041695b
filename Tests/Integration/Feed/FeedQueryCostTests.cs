using BlazorJobs.Server.Feed;
using BlazorJobs.Tests.Infrastructure;
using Npgsql;

namespace BlazorJobs.Tests.Integration.Feed;

public sealed class FeedQueryCostTests(FeedFixture app) : IClassFixture<FeedFixture>
{
    [Fact]
    public async Task Twenty_viewers_of_a_cold_page_cost_one_set_of_source_queries()
    {
        await app.GenerateAsync(200);
        await FeedCacheControl.DropAsync(app.Service<FeedCache>());
        await FeedCacheControl.WaitForQuietAsync(app.Service<FeedCache>());
        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database!;
        await app.ScalarAsync("SELECT pg_stat_statements_reset()");

        var viewers = Enumerable.Range(0, 20).Select(async _ =>
        {
            using var client = app.CreateClient();
            return await FeedClient.PageAsync(client, limit: 40);
        });
        var pages = await Task.WhenAll(viewers);

        var enrolmentQueries = (long)(await app.ScalarAsync(
            """
            SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname = @db AND s.query LIKE '%FROM enrolments e JOIN courses%' AND s.query NOT LIKE '%pg_stat_statements%'
            """, ("db", database)))!;
        Assert.Equal(1, enrolmentQueries);
        Assert.All(pages, p => Assert.Equal(pages[0].Items.Select(i => i.Id), p.Items.Select(i => i.Id)));
    }
}
