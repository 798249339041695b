using BlazorJobs.Server.Feed;
using BlazorJobs.Tests.Infrastructure;
using Microsoft.Extensions.Caching.Hybrid;
using Npgsql;

namespace BlazorJobs.Tests.Integration.Feed;

public sealed class FeedQueryCostTests(FeedFixture app) : IClassFixture<FeedFixture>
{
    [Fact]
    public async Task Twenty_viewers_of_a_cold_page_cost_one_set_of_source_queries()
    {
        await ColdPageAsync(activityRows: 200);

        var viewers = Enumerable.Range(0, 20).Select(async _ =>
        {
            using var client = app.CreateClient();
            return await FeedClient.PageAsync(client, limit: 40);
        });
        var pages = await Task.WhenAll(viewers);

        Assert.Equal(1, await EnrolmentQueriesAsync());
        Assert.All(pages, p => Assert.Equal(pages[0].Items.Select(i => i.Id), p.Items.Select(i => i.Id)));
    }

    [Fact]
    public async Task A_viewer_who_missed_the_cache_as_the_page_was_stored_shares_the_finished_assembly()
    {
        await ColdPageAsync(activityRows: 50);
        using var client = app.CreateClient();
        var first = await FeedClient.PageAsync(client, limit: 30);

        // The race, made certain: this viewer's cache lookup misses (no new activity, same generation)
        // although the page was assembled a moment ago.
        await app.Service<HybridCache>().RemoveAsync(FeedCache.Key(null, 30));
        var second = await FeedClient.PageAsync(client, limit: 30);

        Assert.Equal(1, await EnrolmentQueriesAsync());
        Assert.Equal(first.Items.Select(i => i.Id), second.Items.Select(i => i.Id));
    }

    /// <summary>Fresh activity, no cached page and no throttled drop pending, statement counters at zero.</summary>
    private async Task ColdPageAsync(int activityRows)
    {
        await app.GenerateAsync(activityRows);
        await FeedCacheControl.DropAsync(app.Service<FeedCache>());
        await FeedCacheControl.WaitForQuietAsync(app.Service<FeedCache>());
        await app.ScalarAsync("SELECT pg_stat_statements_reset()");
    }

    private async Task<long> EnrolmentQueriesAsync() => (long)(await app.ScalarAsync(
        """
        SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname = @db AND s.query LIKE '%FROM enrolments e JOIN courses%' AND s.query NOT LIKE '%pg_stat_statements%'
        """, ("db", new NpgsqlConnectionStringBuilder(app.ConnectionString).Database!)))!;
}
