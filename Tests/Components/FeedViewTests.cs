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
        _module.SetupModule("observeNearEnd", _ => true);
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
    public async Task Live_items_show_a_pill_and_join_the_list_when_clicked()
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
    }

    [Fact]
    public async Task A_failed_group_and_a_fallback_are_shown_without_hiding_the_items()
    {
        var cut = Render<FeedView>();
        await cut.InvokeAsync(() => FirstPageCallbacks.OnItems([Item("lesson:1", "Still here")], live: false));

        await cut.InvokeAsync(() => FirstPageCallbacks.OnError("Feed group slow failed"));
        await cut.InvokeAsync(() => FirstPageCallbacks.OnFallback());

        Assert.Contains("could not be loaded", cut.Find(".mud-alert").TextContent);
        Assert.Contains("refreshes every 30 seconds", cut.Markup);
        Assert.Equal(["Still here"], cut.FindAll(".feed-title").Select(e => e.TextContent));
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
