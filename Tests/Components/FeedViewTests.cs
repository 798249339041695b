using BlazorJobs.App.Client.Feed;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using MudBlazor.Services;

namespace BlazorJobs.Tests.Components;

/// <summary>The feed view's states, with feed-interop.js mocked: the test plays the module's callbacks.</summary>
public sealed class FeedViewTests : BunitContext, IAsyncLifetime
{
    private readonly BunitJSModuleInterop _module;

    public FeedViewTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        _module = JSInterop.SetupModule(FeedConnection.ModulePath);
        _module.SetupModule("openFeedStream", _ => true);
        var script = JSInterop.SetupModule("./Feed/FeedView.razor.js");
        script.SetupModule("observeNearEnd", _ => true);
        script.SetupModule("observeTop", _ => true);
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    private FeedCallbacks FirstPageCallbacks =>
        ((DotNetObjectReference<FeedCallbacks>)_module.Invocations["openFeedStream"].First().Arguments[1]!).Value;

    private static FeedItemView Item(string id, string title, int minutesAgo = 1) =>
        new(id, id.Split(':')[0], title, "Summary text", "/courses/x", DateTimeOffset.UtcNow.AddMinutes(-minutesAgo));

    [Fact]
    public void Shows_a_skeleton_until_the_first_batch_arrives()
    {
        var cut = Render<FeedView>();

        Assert.NotEmpty(cut.FindAll("[aria-busy=true] .mud-skeleton"));
        Assert.Empty(cut.FindAll(".feed-list"));
    }

    [Fact]
    public async Task Renders_the_modules_page_in_its_order_and_shows_loading_more_until_complete()
    {
        var cut = Render<FeedView>();

        // The module owns the page's order (feed-page.js, under node test); the view keeps it.
        await cut.InvokeAsync(() => FirstPageCallbacks.OnItems([Item("course:2", "Newer", 1), Item("lesson:1", "Older", 10)], live: false));
        Assert.Equal(["Newer", "Older"], cut.FindAll(".feed-title").Select(e => e.TextContent));
        Assert.NotEmpty(cut.FindAll(".mud-progress-linear"));

        await cut.InvokeAsync(() => FirstPageCallbacks.OnComplete("cursor-2"));
        Assert.Empty(cut.FindAll(".mud-progress-linear"));
    }

    [Fact]
    public async Task Live_items_show_a_pill_that_reveals_them_and_focuses_the_first_new_row()
    {
        var cut = Render<FeedView>();
        await cut.InvokeAsync(() => FirstPageCallbacks.OnItems([Item("lesson:1", "Existing")], live: false));
        await cut.InvokeAsync(() => FirstPageCallbacks.OnComplete(null));

        await cut.InvokeAsync(() => FirstPageCallbacks.OnItems([Item("announcement:5", "Fresh news", 0), Item("lesson:1", "Existing")], live: true));

        Assert.Contains("1 new", cut.Find(".feed-pill").TextContent);
        Assert.Equal(["Existing"], cut.FindAll(".feed-title").Select(e => e.TextContent));
        cut.Find(".feed-pill button").Click();
        Assert.Equal(["Fresh news", "Existing"], cut.FindAll(".feed-title").Select(e => e.TextContent));
        Assert.Empty(cut.FindAll(".feed-pill"));
        var revealed = cut.Find("li[tabindex='-1']");
        Assert.Equal("New: Fresh news", revealed.GetAttribute("aria-label"));
        Assert.Contains(JSInterop.Invocations, i => i.Identifier.EndsWith("focus", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reader_at_the_top_sees_live_items_appear_without_a_pill()
    {
        var cut = Render<FeedView>();
        await cut.InvokeAsync(() => FirstPageCallbacks.OnItems([Item("lesson:1", "Existing")], live: false));
        await cut.InvokeAsync(() => FirstPageCallbacks.OnComplete(null));

        await cut.InvokeAsync(() => cut.Instance.OnTopChanged(true));
        await cut.InvokeAsync(() => FirstPageCallbacks.OnItems([Item("announcement:5", "Fresh news", 0), Item("lesson:1", "Existing")], live: true));

        Assert.Empty(cut.FindAll(".feed-pill"));
        Assert.Equal(["Fresh news", "Existing"], cut.FindAll(".feed-title").Select(e => e.TextContent));
    }

    [Fact]
    public async Task A_failed_group_and_a_fallback_are_shown_without_hiding_the_items()
    {
        var cut = Render<FeedView>();
        await cut.InvokeAsync(() => FirstPageCallbacks.OnItems([Item("lesson:1", "Still here")], live: false));

        await cut.InvokeAsync(() => FirstPageCallbacks.OnSourceFailed("Feed group slow failed"));
        await cut.InvokeAsync(() => FirstPageCallbacks.OnFallback());

        Assert.Contains("the rest is shown", cut.Find(".mud-alert").TextContent);
        Assert.Contains("refreshes every 30 seconds", cut.Markup);
        Assert.Equal(["Still here"], cut.FindAll(".feed-title").Select(e => e.TextContent));
    }

    [Fact]
    public async Task An_unreachable_api_replaces_the_skeleton_with_an_error_and_retry_opens_the_feed_again()
    {
        var cut = Render<FeedView>();

        await cut.InvokeAsync(() => FirstPageCallbacks.OnConnectionLost("The feed could not be fetched.", willRetry: true));

        Assert.Empty(cut.FindAll("[aria-busy=true]"));
        Assert.Contains("could not be loaded", cut.Find(".feed-failed .mud-alert").TextContent);
        cut.FindAll(".feed-failed button").Single(b => b.TextContent.Contains("Retry")).Click();
        Assert.Equal(2, _module.Invocations["openFeedStream"].Count);
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "close");
        Assert.NotEmpty(cut.FindAll("[aria-busy=true] .mud-skeleton"));
    }

    [Fact]
    public async Task Every_source_failing_is_one_failed_state_not_a_warning_over_an_empty_feed()
    {
        var cut = Render<FeedView>();

        await cut.InvokeAsync(() => FirstPageCallbacks.OnSourceFailed("Feed group fast failed"));
        await cut.InvokeAsync(() => FirstPageCallbacks.OnSourceFailed("Feed group slow failed"));
        await cut.InvokeAsync(() => FirstPageCallbacks.OnItems([], live: false));
        await cut.InvokeAsync(() => FirstPageCallbacks.OnComplete(null));

        Assert.Single(cut.FindAll(".mud-alert"));
        Assert.Contains("Retry", cut.Find(".feed-failed").TextContent);
        Assert.DoesNotContain("No activity yet", cut.Markup);
    }

    [Fact]
    public async Task A_lost_connection_keeps_the_items_with_a_note()
    {
        var cut = Render<FeedView>();
        await cut.InvokeAsync(() => FirstPageCallbacks.OnItems([Item("lesson:1", "Loaded before")], live: false));
        await cut.InvokeAsync(() => FirstPageCallbacks.OnComplete("cursor-2"));

        await cut.InvokeAsync(() => FirstPageCallbacks.OnConnectionLost("dropped", willRetry: true));

        Assert.Contains("Connection lost", cut.Find(".mud-alert").TextContent);
        Assert.Equal(["Loaded before"], cut.FindAll(".feed-title").Select(e => e.TextContent));
    }

    [Fact]
    public async Task Repeats_share_a_row_and_the_end_of_the_feed_is_marked()
    {
        var cut = Render<FeedView>();
        const string answered = "The tutor answered a question about HTML & CSS Foundations";

        await cut.InvokeAsync(() => FirstPageCallbacks.OnItems(
            [Item("answer:3", answered, 1), Item("answer:2", answered, 5), Item("lesson:1", "A lesson", 6), Item("answer:1", answered, 30)], live: false));
        await cut.InvokeAsync(() => FirstPageCallbacks.OnComplete(null));

        Assert.Equal(["3 questions answered about HTML & CSS Foundations", "A lesson"], cut.FindAll(".feed-title").Select(e => e.TextContent));
        Assert.Contains("within 29 min", cut.Find(".feed-span").TextContent);
        Assert.Contains("end of the feed", cut.Find(".feed-end").TextContent);
    }

    [Fact]
    public async Task An_empty_feed_says_so()
    {
        var cut = Render<FeedView>();

        await cut.InvokeAsync(() => FirstPageCallbacks.OnItems([], live: false));
        await cut.InvokeAsync(() => FirstPageCallbacks.OnComplete(null));

        Assert.Contains("No activity yet", cut.Markup);
    }

    [Fact]
    public async Task Disposing_closes_the_stream()
    {
        Render<FeedView>();

        await DisposeComponentsAsync();

        Assert.Single(_module.Invocations["openFeedStream"]);
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "close");
    }
}
