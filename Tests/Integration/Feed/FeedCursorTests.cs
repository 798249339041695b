using System.Net;
using System.Text;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Feed;

/// <summary>
/// api.md, Live feed: a cursor is one this feed gave out, or the request is <c>400</c>, on the JSON page and
/// on the stream alike: a malformed cursor must not make a silently partial page, and a made-up one must
/// not buy a full set of uncached source queries.
/// </summary>
public sealed class FeedCursorTests(FeedWithSomeRows app) : IClassFixture<FeedWithSomeRows>
{
    public static TheoryData<string> NotOurCursors() =>
    [
        "announcement:abc",
        "garbage",
        "%00",
        // The old unsigned form of a real position: well-formed, but not issued by this feed.
        Base64Url("""{"T":638000000000000000,"I":"announcement:0000000000000000001"}"""),
        Base64Url("""{"T":638000000000000000,"I":"announcement:abc"}"""),
    ];

    [Theory]
    [MemberData(nameof(NotOurCursors))]
    public async Task A_cursor_the_feed_did_not_give_out_is_400_on_the_page_and_the_stream(string cursor)
    {
        using var client = app.CreateClient();

        var page = await client.GetAsync($"/api/feed?cursor={Uri.EscapeDataString(cursor)}");
        var stream = await SseTestClient.OpenAsync(client, $"/api/feed/stream?cursor={Uri.EscapeDataString(cursor)}");

        await ProblemAssert.IsAsync(page, HttpStatusCode.BadRequest, "invalid-cursor");
        await ProblemAssert.IsAsync(stream, HttpStatusCode.BadRequest, "invalid-cursor");
    }

    [Fact]
    public async Task A_cursor_the_feed_gave_out_pages_on_and_a_tampered_copy_is_400()
    {
        using var client = app.CreateClient();
        var first = await FeedClient.PageAsync(client, limit: 10);
        var cursor = first.NextCursor!;
        var tampered = cursor[..^2] + (cursor[^2] == 'A' ? "B" : "A") + cursor[^1];

        var second = await FeedClient.PageAsync(client, cursor, limit: 10);
        var forged = await client.GetAsync($"/api/feed?limit=10&cursor={Uri.EscapeDataString(tampered)}");

        Assert.Equal(10, second.Items.Count);
        Assert.Empty(first.Items.Select(i => i.Id).Intersect(second.Items.Select(i => i.Id)));
        await ProblemAssert.IsAsync(forged, HttpStatusCode.BadRequest, "invalid-cursor");
    }

    private static string Base64Url(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
