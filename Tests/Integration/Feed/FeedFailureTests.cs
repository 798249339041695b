using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Feed;

public sealed class FeedFailureTests(BrokenSourceFixture app) : IClassFixture<BrokenSourceFixture>
{
    [Fact]
    public async Task A_failing_source_group_is_reported_and_the_other_groups_are_still_delivered()
    {
        using var client = app.CreateClient();
        using var response = await SseTestClient.OpenAsync(client, "/api/feed/stream?limit=10&live=false");

        var events = await SseTestClient.ReadAsync(response, stopAfter: e => e.Type == "feed_complete");

        Assert.True(events.Count(e => e.Type == "feed_error") == 1, $"events: {string.Join(" | ", events.Select(e => e.Type + " " + e.Data[..Math.Min(80, e.Data.Length)]))}");
        var error = events.Single(e => e.Type == "feed_error");
        Assert.Contains("\"group\":\"medium\"", error.Data);
        Assert.Equal(2, events.Count(e => e.Type == "feed_items"));
        Assert.Equal("feed_complete", events[^1].Type);
        Assert.NotEmpty(FeedClient.Assemble(events));
    }

    [Fact]
    public async Task The_json_page_is_still_served_without_the_failing_group()
    {
        using var client = app.CreateClient();

        var page = await FeedClient.PageAsync(client, limit: 10);

        Assert.NotEmpty(page.Items);
        Assert.DoesNotContain(page.Items, i => i.Type is "review" or "certificate" or "discussion");
    }
}

public sealed class FeedUnreadableTests(AllSourcesBrokenFixture app) : IClassFixture<AllSourcesBrokenFixture>
{
    [Fact]
    public async Task With_every_source_failing_the_json_page_is_a_503_not_an_empty_page()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/api/feed?limit=10");

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Contains("problems/feed-unavailable", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task With_every_source_failing_the_stream_reports_each_group_and_no_items()
    {
        using var client = app.CreateClient();
        using var response = await SseTestClient.OpenAsync(client, "/api/feed/stream?limit=10&live=false");

        var events = await SseTestClient.ReadAsync(response, stopAfter: e => e.Type == "feed_complete");

        Assert.Equal(3, events.Count(e => e.Type == "feed_error"));
        Assert.Empty(FeedClient.Assemble(events));
    }
}
