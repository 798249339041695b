using System.Diagnostics;
using BlazorJobs.Server.Streaming;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace BlazorJobs.Tests.Browser;

/// <summary>
/// One events stream per browser (sse-client.md, "Shared streams"): a learner's tabs elect one leader with Web
/// Locks, which alone holds <c>/api/events</c> and hands its events to the others over BroadcastChannel.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SharedEventsStreamBrowserTests(StreamingBrowserApp app, ITestOutputHelper output)
{
    private const string CoursePath = $"/courses/{ChatPage.CourseSlug}";

    [Fact]
    public async Task Three_tabs_hold_one_events_stream_all_show_a_question_from_any_and_carry_on_when_the_leader_closes()
    {
        var first = await app.NewPageAsync();
        var logs = new Dictionary<IPage, RequestLog> { [first] = new RequestLog(first) };
        await ChatPage.SignInAsNewLearnerAsync(first, app, CoursePath);
        const string opening = "What is the difference between margin and padding?";
        await ChatPage.AskAsync(first, opening);
        await Expect(ChatPage.Completed(first, opening)).ToBeVisibleAsync();
        var tabs = new List<IPage> { first };
        foreach (var _ in new[] { 2, 3 })
        {
            var tab = await first.Context.NewPageAsync();
            logs[tab] = new RequestLog(tab);
            await tab.GotoAsync(CoursePath);
            await Expect(ChatPage.Completed(tab, opening)).ToBeVisibleAsync();
            await ChatPage.QuestionBoxAsync(tab);
            tabs.Add(tab);
        }
        var ownerKey = (string)(await app.ScalarAsync("SELECT owner_key FROM jobs WHERE question = @q ORDER BY created_at DESC LIMIT 1", ("q", opening)))!;
        var hub = app.Service<EventHub>();
        int OpenEventsStreams() => hub.SubscriberCountOf(HubTopic.Owner(ownerKey));
        IPage[] Leaders() => [.. tabs.Where(t => logs[t].To("/api/events").Count > 0)];

        const string fromThird = "How do I make a grid with three equal columns?";
        await ChatPage.AskAsync(tabs[2], fromThird);
        foreach (var tab in tabs)
        {
            await Expect(ChatPage.Completed(tab, fromThird)).ToBeVisibleAsync();
        }
        Assert.Equal(1, OpenEventsStreams());
        var leader = Assert.Single(Leaders());

        var closedAt = Stopwatch.GetTimestamp();
        await leader.CloseAsync();
        tabs.Remove(leader);
        var successor = await WaitForAsync(() => Leaders().SingleOrDefault());
        output.WriteLine($"The next tab opened the events stream {Stopwatch.GetElapsedTime(closedAt).TotalMilliseconds:F0} ms after the leader closed");
        var resumedFrom = (await logs[successor].To("/api/events")[0].AllHeadersAsync()).GetValueOrDefault("last-event-id");
        Assert.False(string.IsNullOrEmpty(resumedFrom), "the new leader resumes from the last event id its tab received");
        await WaitForAsync(() => OpenEventsStreams() == 1 ? "one" : null);

        const string afterTakeover = "What does flex-wrap do?";
        await ChatPage.AskAsync(tabs.First(t => t != successor), afterTakeover);
        foreach (var tab in tabs)
        {
            await Expect(ChatPage.Completed(tab, afterTakeover)).ToBeVisibleAsync();
            await Expect(tab.Locator(".chat-turn")).ToHaveCountAsync(3); // nothing shown twice
        }
        Assert.Equal(1, OpenEventsStreams());
        await first.Context.CloseAsync();
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (probe() is { } found)
            {
                return found;
            }
            Assert.True(DateTime.UtcNow < deadline, "waited 30 s");
            await Task.Delay(50);
        }
    }
}
