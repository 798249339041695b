using System.Net;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Feed;

/// <summary>
/// api.md, Conventions and Live feed: feed streams count against the caller's open-streams limit (here 2),
/// anonymous streams against a ceiling per IP whatever their visitor cookies (here 3), and a live feed
/// stream ends with <c>timeout</c> after <c>Streams:TimeoutSeconds</c> (here 2 s). Each test uses IPs of its own.
/// </summary>
public sealed class FeedStreamLimitTests(FeedStreamLimitFixture app) : IClassFixture<FeedStreamLimitFixture>
{
    private const string LiveFeed = "/api/feed/stream?limit=5";

    [Fact]
    public async Task A_feed_stream_over_the_callers_limit_is_429()
    {
        using var visitor = app.VisitorFromIp("198.51.100.30");
        var open = new List<HttpResponseMessage>();
        for (var i = 0; i < FeedStreamLimitFixture.MaxOpenPerCaller; i++)
        {
            open.Add(await SseTestClient.OpenAsync(visitor, LiveFeed));
        }

        using var refused = await SseTestClient.OpenAsync(visitor, LiveFeed);

        Assert.All(open, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await ProblemAssert.IsRetryableAsync(refused, HttpStatusCode.TooManyRequests, "rate-limited");
        open.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task Fresh_visitor_cookies_do_not_escape_the_per_ip_ceiling_and_another_ip_is_not_held()
    {
        var visitors = Enumerable.Range(0, FeedStreamLimitFixture.MaxOpenPerIp + 1).Select(_ => app.VisitorFromIp("198.51.100.31")).ToList();
        using var cookieless = app.FromIp("198.51.100.31");
        using var elsewhere = app.FromIp("198.51.100.32");
        var open = new List<HttpResponseMessage>();
        foreach (var visitor in visitors.Take(FeedStreamLimitFixture.MaxOpenPerIp))
        {
            open.Add(await SseTestClient.OpenAsync(visitor, LiveFeed));
        }

        using var newCookie = await SseTestClient.OpenAsync(visitors[^1], LiveFeed);
        using var noCookie = await SseTestClient.OpenAsync(cookieless, LiveFeed);
        using var otherIp = await SseTestClient.OpenAsync(elsewhere, LiveFeed);

        Assert.All(open, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await ProblemAssert.IsRetryableAsync(newCookie, HttpStatusCode.TooManyRequests, "rate-limited");
        await ProblemAssert.IsRetryableAsync(noCookie, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal(HttpStatusCode.OK, otherIp.StatusCode);
        open.ForEach(r => r.Dispose());
        visitors.ForEach(v => v.Dispose());
    }

    [Fact]
    public async Task A_live_feed_stream_ends_with_timeout_and_frees_its_place()
    {
        using var visitor = app.VisitorFromIp("198.51.100.33");
        using var response = await SseTestClient.OpenAsync(visitor, LiveFeed);

        var events = await SseTestClient.ReadAsync(response, timeout: TimeSpan.FromSeconds(60));

        Assert.Contains(events, e => e.Type == "feed_complete");
        Assert.Equal("timeout", events[^1].Type);
        // Its place is free again: the caller can hold its full allowance once more.
        var reopened = new List<HttpResponseMessage>();
        for (var i = 0; i < FeedStreamLimitFixture.MaxOpenPerCaller; i++)
        {
            reopened.Add(await Eventually.ReturnsAsync(() => SseTestClient.OpenAsync(visitor, LiveFeed),
                r => r.StatusCode == HttpStatusCode.OK || Discard(r), "a free place after the timeout"));
        }
        reopened.ForEach(r => r.Dispose());
    }

    private static bool Discard(HttpResponseMessage response)
    {
        response.Dispose();
        return false;
    }
}
