using System.Net;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Feed;

public sealed class FeedPagingTests(FeedWithThousandRows app) : IClassFixture<FeedWithThousandRows>
{
    [Fact]
    public async Task Paging_through_everything_while_new_activity_arrives_skips_nothing_and_repeats_nothing()
    {
        using var client = app.CreateClient();
        var expected = (long)(await app.ScalarAsync(ExpectedCountSql))!;

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await FeedClient.PageAsync(client, cursor, limit: 100);
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
            await app.GenerateAsync(20, days: 0.0001); // new activity lands between pages
        }
        while (cursor is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.True(seen.Count >= expected, $"Saw {seen.Count} items, expected at least the {expected} that existed at the start.");
        var pages = seen.Chunk(100).ToList();
        Assert.True(pages.Count >= 10);
    }

    [Fact]
    public async Task A_page_is_ordered_newest_first_with_ids_breaking_ties()
    {
        using var client = app.CreateClient();

        var page = await FeedClient.PageAsync(client, limit: 100);

        var ordered = page.Items.OrderByDescending(i => i.SortDate).ThenByDescending(i => i.Id, StringComparer.Ordinal).Select(i => i.Id);
        Assert.Equal(ordered, page.Items.Select(i => i.Id));
        Assert.Equal(100, page.Items.Count);
        Assert.NotNull(page.NextCursor);
        Assert.True(page.Items.Select(i => i.Type).Distinct().Count() >= 5, "A page mixes activity from many sources.");
    }

    [Theory]
    [InlineData("/api/feed?limit=0")]
    [InlineData("/api/feed?limit=101")]
    [InlineData("/api/feed?cursor=not-a-cursor")]
    [InlineData("/api/feed/stream?limit=500")]
    public async Task Bad_paging_parameters_are_a_400_problem(string url)
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private const string ExpectedCountSql = """
        SELECT (SELECT count(*) FROM announcements) + (SELECT count(*) FROM courses WHERE published) + (SELECT count(*) FROM lessons)
             + (SELECT count(*) FROM live_sessions) + (SELECT count(*) FROM feed_activities) + (SELECT count(*) FROM course_reviews)
             + (SELECT count(*) FROM certificates) + (SELECT count(*) FROM discussion_posts) + (SELECT count(*) FROM enrolments)
             + (SELECT count(*) FROM lesson_completions) + (SELECT count(*) FROM jobs WHERE kind = 'tutor' AND status = 'COMPLETED' AND course_id IS NOT NULL)
        """;
}
