using System.Text.Json;
using BlazorJobs.Server.Feed;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Feed;

public sealed class FeedStreamTests(FeedWithSomeRows app) : IClassFixture<FeedWithSomeRows>
{
    [Fact]
    public async Task The_streamed_page_equals_the_json_page_on_a_miss_and_on_a_hit()
    {
        using var client = app.CreateClient();
        await FeedCacheControl.DropAsync(app.Service<FeedCache>());

        var streamedOnMiss = await ReadPageAsync(client, "/api/feed/stream?limit=30&live=false");
        var json = await FeedClient.PageAsync(client, limit: 30);
        var streamedOnHit = await ReadPageAsync(client, "/api/feed/stream?limit=30&live=false");

        Assert.True(streamedOnMiss.Batches >= 3, "A cache miss sends a batch per source group.");
        Assert.Equal(1, streamedOnHit.Batches);
        Assert.Equal(json.Items.Select(i => i.Id), streamedOnMiss.Items.Select(i => i.Id));
        Assert.Equal(json.Items.Select(i => i.Id), streamedOnHit.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task The_second_page_streams_the_same_as_the_json_second_page()
    {
        using var client = app.CreateClient();
        var first = await FeedClient.PageAsync(client, limit: 25);

        var streamed = await ReadPageAsync(client, $"/api/feed/stream?limit=25&cursor={Uri.EscapeDataString(first.NextCursor!)}");
        var json = await FeedClient.PageAsync(client, first.NextCursor, limit: 25);

        Assert.Equal(json.Items.Select(i => i.Id), streamed.Items.Select(i => i.Id));
        Assert.Empty(first.Items.Select(i => i.Id).Intersect(streamed.Items.Select(i => i.Id)));
    }

    [Fact]
    public async Task New_activity_is_pushed_to_an_open_live_stream()
    {
        using var client = app.CreateClient();
        using var response = await SseTestClient.OpenAsync(client, "/api/feed/stream?limit=10");
        var events = new List<ReceivedEvent>();
        var reading = SseTestClient.ReadAsync(response, stopAfter: e =>
        {
            events.Add(e);
            return e.Type == "feed_items" && e.Data.Contains("\"live\":true") && e.Data.Contains("Live push check");
        }, timeout: TimeSpan.FromSeconds(20));

        await WaitUntilAsync(() => events.Any(e => e.Type == "feed_complete"));
        await app.ScalarAsync("INSERT INTO announcements (title, body, published_at) VALUES ('Live push check', 'Hello', now())");
        var received = await reading;

        var live = received[^1];
        Assert.Equal("feed_items", live.Type);
        var item = JsonDocument.Parse(live.Data).RootElement.GetProperty("items")[0];
        Assert.StartsWith("announcement:", item.GetProperty("id").GetString());
    }

    [Fact]
    public async Task New_activity_drops_the_cached_page()
    {
        using var client = app.CreateClient();
        var cache = app.Service<FeedCache>();
        // Earlier tests' activity may still be dropping the cache: wait until a fetched page stays cached.
        await WaitUntilAsync(async () =>
        {
            await FeedClient.PageAsync(client, limit: 15);
            return await cache.TryGetAsync(FeedCache.Key(null, 15), CancellationToken.None) is not null;
        });

        await app.ScalarAsync("INSERT INTO announcements (title, body, published_at) VALUES ('Cache drop check', 'Hello', now())");
        await WaitUntilAsync(async () => await cache.TryGetAsync(FeedCache.Key(null, 15), CancellationToken.None) is null);
        var page = await FeedClient.PageAsync(client, limit: 15);

        Assert.Equal("Cache drop check", page.Items[0].Title);
    }

    private static async Task<(List<FeedItemBody> Items, int Batches)> ReadPageAsync(HttpClient client, string url)
    {
        using var response = await SseTestClient.OpenAsync(client, url);
        var events = await SseTestClient.ReadAsync(response, stopAfter: e => e.Type == "feed_complete");
        return (FeedClient.Assemble(events), events.Count(e => e.Type == "feed_items"));
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition never came true.");
            }
            await Task.Delay(50);
        }
    }
}
