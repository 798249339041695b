using BlazorJobs.App.Client.Feed;

namespace BlazorJobs.Tests.Unit;

public sealed class FeedStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static FeedItemView Item(string id, int minutesAgo) => new(id, id.Split(':')[0], $"Title {id}", "Summary", null, Now.AddMinutes(-minutesAgo));

    [Fact]
    public void The_first_page_is_the_modules_page_as_it_reports_it()
    {
        var state = new FeedState();

        state.ApplyFirstPage([Item("lesson:2", 5)], live: false);
        state.ApplyFirstPage([Item("course:1", 1), Item("enrolment:3", 3), Item("lesson:2", 5)], live: false);

        Assert.Equal(["course:1", "enrolment:3", "lesson:2"], state.Items.Select(i => i.Id));
    }

    [Fact]
    public void An_item_the_modules_cutoff_dropped_leaves_the_page_so_it_equals_the_json_page()
    {
        var state = new FeedState();
        state.ApplyFirstPage([Item("course:1", 1), Item("lesson:2", 5), Item("lesson:4", 9)], live: false);

        state.ApplyFirstPage([Item("course:1", 1), Item("lesson:2", 5)], live: false);
        state.CompleteFirstPage(nextCursor: "c1");

        Assert.Equal(["course:1", "lesson:2"], state.Items.Select(i => i.Id));
    }

    [Fact]
    public void Live_items_wait_behind_the_pill_until_the_reader_asks()
    {
        var state = new FeedState();
        state.ApplyFirstPage([Item("lesson:2", 5)], live: false);
        state.CompleteFirstPage(nextCursor: "c1");

        state.ApplyFirstPage([Item("announcement:9", 0), Item("lesson:2", 5)], live: true);

        Assert.Equal(1, state.PendingCount);
        Assert.Equal(["lesson:2"], state.Items.Select(i => i.Id));
        state.ShowPending();
        Assert.Equal(0, state.PendingCount);
        Assert.Equal(["announcement:9", "lesson:2"], state.Items.Select(i => i.Id));
    }

    [Fact]
    public void Older_pages_are_appended_below_without_duplicates_and_end_with_no_cursor()
    {
        var state = new FeedState();
        state.ApplyFirstPage([Item("a:1", 1), Item("a:2", 2)], live: false);
        state.CompleteFirstPage("c1");

        Assert.True(state.StartLoadingOlder());
        Assert.False(state.StartLoadingOlder()); // one older page at a time
        state.AppendOlder([Item("a:2", 2), Item("a:3", 3)], nextCursor: null);

        Assert.Equal(["a:1", "a:2", "a:3"], state.Items.Select(i => i.Id));
        Assert.Null(state.NextCursor);
        Assert.False(state.StartLoadingOlder());
    }

    [Theory]
    [InlineData(0, "just now")]
    [InlineData(5, "5 min ago")]
    [InlineData(180, "3 h ago")]
    [InlineData(60 * 24, "yesterday")]
    [InlineData(60 * 24 * 3, "3 days ago")]
    public void Times_read_relative_to_now(int minutesAgo, string expected) =>
        Assert.Equal(expected, FeedPresentation.RelativeTime(Now.AddMinutes(-minutesAgo), Now));
}
