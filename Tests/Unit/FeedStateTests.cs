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

    [Fact]
    public void A_reader_at_the_top_sees_live_items_at_once_and_the_pill_takes_the_reader_to_the_first_new_row()
    {
        var state = new FeedState { ReaderAtTop = true };
        state.ApplyFirstPage([Item("lesson:2", 5)], live: false);
        state.CompleteFirstPage(nextCursor: null);

        state.ApplyFirstPage([Item("announcement:9", 0), Item("lesson:2", 5)], live: true);
        Assert.Equal(0, state.PendingCount);
        Assert.Equal(["announcement:9", "lesson:2"], state.Items.Select(i => i.Id));

        state.ReaderAtTop = false;
        state.ApplyFirstPage([Item("course:12", 0), Item("course:11", 0), Item("announcement:9", 0), Item("lesson:2", 5)], live: true);
        Assert.Equal(2, state.PendingCount);
        Assert.Equal("course:12", state.ShowPending());
    }

    [Fact]
    public void The_status_is_one_of_loading_empty_ready_partial_failed_offline()
    {
        var state = new FeedState();
        Assert.Equal(FeedStatus.Loading, state.Status);

        state.SourceFailed(); // one group failed; the others may still come
        Assert.Equal(FeedStatus.Loading, state.Status);
        state.ApplyFirstPage([Item("lesson:2", 5)], live: false);
        Assert.Equal(FeedStatus.Partial, state.Status);
        state.CompleteFirstPage(null);
        Assert.Equal(FeedStatus.Partial, state.Status);

        state.LoseConnection();
        Assert.Equal(FeedStatus.Offline, state.Status);
        state.ApplyFirstPage([Item("lesson:2", 5)], live: false); // reconnected: the page again, whole this time
        state.CompleteFirstPage(null);
        Assert.Equal(FeedStatus.Ready, state.Status);
    }

    [Fact]
    public void Nothing_loaded_is_failed_whether_the_api_is_unreachable_or_every_source_failed_and_empty_only_when_all_answered()
    {
        var unreachable = new FeedState();
        unreachable.LoseConnection();
        Assert.Equal(FeedStatus.Failed, unreachable.Status);

        var databaseDown = new FeedState();
        databaseDown.SourceFailed();
        databaseDown.SourceFailed();
        databaseDown.ApplyFirstPage([], live: false);
        databaseDown.CompleteFirstPage(null);
        Assert.Equal(FeedStatus.Failed, databaseDown.Status);

        var quiet = new FeedState();
        quiet.ApplyFirstPage([], live: false);
        quiet.CompleteFirstPage(null);
        Assert.Equal(FeedStatus.Empty, quiet.Status);
    }

    [Fact]
    public void Identical_repeats_within_an_hour_share_one_row_at_the_newest_ones_place()
    {
        FeedItemView Answer(string id, int minutesAgo) =>
            new(id, "answer", "The tutor answered a question about HTML & CSS Foundations", "Summary", "/courses/html", Now.AddMinutes(-minutesAgo));
        var state = new FeedState();

        state.ApplyFirstPage([Answer("answer:1", 1), Item("lesson:2", 5), Answer("answer:3", 10), Answer("answer:4", 48), Answer("answer:5", 125)], live: false);

        Assert.Equal(["answer:1", "lesson:2", "answer:5"], state.Entries.Select(e => e.Key));
        var group = state.Entries[0];
        Assert.Equal(["answer:1", "answer:3", "answer:4"], group.Items.Select(i => i.Id));
        Assert.Equal("3 questions answered about HTML & CSS Foundations", FeedPresentation.Title(group));
        Assert.Equal("within 47 min", FeedPresentation.Span(group));
        Assert.Equal("The tutor answered a question about HTML & CSS Foundations", FeedPresentation.Title(state.Entries[2]));
    }

    [Fact]
    public void Repeats_without_a_known_wording_keep_their_title_with_a_count()
    {
        var entry = new FeedEntry([Item("announcement:2", 1) with { Title = "Scheduled maintenance" }, Item("announcement:1", 3) with { Title = "Scheduled maintenance" }]);

        Assert.Equal("Scheduled maintenance (2 times)", FeedPresentation.Title(entry));
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
