using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorJobs.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class CourseTutorBrowserTests(StreamingBrowserApp app)
{
    private const string CoursePath = $"/courses/{ChatPage.CourseSlug}";

    [Fact]
    public async Task A_learner_sees_the_answer_stream_in_and_finds_the_conversation_again_after_a_reload()
    {
        var page = await app.NewPageAsync();
        await ChatPage.SignInAsNewLearnerAsync(page, app, CoursePath);
        const string question = "How does the box model add padding and border to the width?";

        await ChatPage.AskAsync(page, question);

        // Part of the answer is on screen before the rest has arrived.
        var streaming = page.Locator(".chat-turn[data-state=streaming] .chat-markdown");
        await Expect(streaming).Not.ToBeEmptyAsync();
        var answer = ChatPage.Completed(page, question).Locator(".chat-answer");
        await Expect(answer).ToContainTextAsync("padding");
        var fullAnswer = await answer.InnerTextAsync();

        await page.ReloadAsync();

        // The page is rendered with "Loading your conversation…", not the empty greeting, until the tutor has it.
        var prerendered = await (await page.APIRequest.GetAsync(CoursePath)).TextAsync();
        Assert.Contains("data-loading-conversation", prerendered);
        Assert.DoesNotContain("Stuck on something?", prerendered);
        await Expect(ChatPage.Completed(page, question).Locator(".chat-answer")).ToHaveTextAsync(fullAnswer);
        await Expect(page.Locator(".chat-turn")).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_tutor_streams_with_a_bearer_header_and_no_token_ever_appears_in_a_url()
    {
        var page = await app.NewPageAsync();
        var log = new RequestLog(page);
        await ChatPage.SignInAsNewLearnerAsync(page, app, CoursePath);
        const string question = "What does flex-wrap do?";

        await ChatPage.AskAsync(page, question);
        await Expect(ChatPage.Completed(page, question)).ToBeVisibleAsync();

        var stream = Assert.Single(log.To("/api/assistant/stream/"));
        var authorization = (await stream.AllHeadersAsync()).GetValueOrDefault("authorization") ?? "";
        Assert.StartsWith("Bearer ", authorization);
        var token = authorization["Bearer ".Length..];
        Assert.True(token.Length > 20);
        Assert.DoesNotContain(log.Urls, url => url.Contains(token, StringComparison.Ordinal) || url.Contains(Uri.EscapeDataString(token), StringComparison.Ordinal));
        Assert.DoesNotContain(log.Urls, url => url.Contains("token=", StringComparison.OrdinalIgnoreCase));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_question_asked_in_another_tab_shows_up_live_in_the_first()
    {
        var first = await app.NewPageAsync();
        await ChatPage.SignInAsNewLearnerAsync(first, app, CoursePath);
        await ChatPage.AskAsync(first, "What is the difference between margin and padding?");
        await Expect(first.Locator(".chat-turn[data-state=completed]")).ToHaveCountAsync(1);
        var second = await first.Context.NewPageAsync();
        await second.GotoAsync(CoursePath);
        await Expect(second.Locator(".chat-turn[data-state=completed]")).ToHaveCountAsync(1);
        const string question = "How do I make a grid with three equal columns?";

        await ChatPage.AskAsync(second, question);

        await Expect(ChatPage.Completed(first, question)).ToBeVisibleAsync();
        await Expect(first.Locator(".chat-turn")).ToHaveCountAsync(2);
        await first.Context.CloseAsync();
    }

    [Fact]
    public async Task The_history_menu_opens_beside_its_button_and_closes_on_Escape_and_signing_out_in_any_tab_signs_the_tutor_tabs_out()
    {
        var first = await app.NewPageAsync(1280, 800);
        await ChatPage.SignInAsNewLearnerAsync(first, app, CoursePath);
        await ChatPage.AskAsync(first, "What is a flex container?");
        await Expect(first.Locator(".chat-turn[data-state=completed]")).ToHaveCountAsync(1);
        var second = await first.Context.NewPageAsync();
        await second.GotoAsync(CoursePath);
        await Expect(second.Locator(".chat-turn[data-state=completed]")).ToHaveCountAsync(1);

        var history = second.GetByRole(AriaRole.Button, new() { Name = "Earlier conversations" });
        await history.ClickAsync();
        var menu = second.Locator(".mud-popover-open");
        await Expect(menu).ToBeVisibleAsync();
        // The tutor column is sticky: an absolutely placed popover used to open at x≈1736, widening the page.
        var (menuBox, buttonBox) = (await menu.BoundingBoxAsync(), await history.BoundingBoxAsync());
        Assert.True(menuBox!.X + menuBox.Width <= 1280, $"menu ends at x={menuBox.X + menuBox.Width}");
        Assert.InRange(menuBox.X + menuBox.Width, buttonBox!.X, buttonBox.X + buttonBox.Width + 1);
        Assert.Equal(1280, await second.EvaluateAsync<int>("document.documentElement.scrollWidth"));
        await second.Keyboard.PressAsync("Escape");
        await Expect(menu).ToHaveCountAsync(0);

        // Signing out in a third tab, on a page without the tutor: both tutor tabs show the signed-out
        // tutor (each reloads once the server has signed out).
        var third = await first.Context.NewPageAsync();
        await third.GotoAsync("/courses");
        await third.Locator("nav.nav-wide").GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        foreach (var tutorTab in new[] { first, second })
        {
            await Expect(tutorTab.Locator(".tutor-signin")).ToBeVisibleAsync();
            await Expect(tutorTab.Locator(".chat-panel")).ToHaveCountAsync(0);
        }
        await first.Context.CloseAsync();
    }

    [Fact]
    public async Task When_the_stream_asks_to_reauthenticate_a_fresh_token_is_fetched_and_the_answer_still_arrives()
    {
        var page = await app.NewPageAsync();
        var log = new RequestLog(page);
        await ChatPage.SignInAsNewLearnerAsync(page, app, CoursePath);
        var intercepted = 0;
        // The first stream connection is told that its token expires now, as the server does at expiry.
        await page.RouteAsync("**/api/assistant/stream/**", async route =>
        {
            if (Interlocked.Increment(ref intercepted) == 1)
            {
                await route.FulfillAsync(new()
                {
                    Status = 200,
                    ContentType = "text/event-stream",
                    Body = "retry: 100\n\nevent: reauthenticate\ndata: {}\n\n",
                });
                return;
            }
            await route.ContinueAsync();
        });
        const string question = "What is the cascade in CSS?";

        await ChatPage.AskAsync(page, question);

        await Expect(ChatPage.Completed(page, question)).ToBeVisibleAsync();
        Assert.Equal(2, log.To("/api/auth/token").Count);
        var streams = log.To("/api/assistant/stream/");
        Assert.Equal(2, streams.Count);
        var first = (await streams[0].AllHeadersAsync())["authorization"];
        var second = (await streams[1].AllHeadersAsync())["authorization"];
        Assert.StartsWith("Bearer ", second);
        Assert.NotEqual(first, second);
        await page.Context.CloseAsync();
    }
}
