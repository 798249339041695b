using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorJobs.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class LandingGuideBrowserTests(StreamingBrowserApp app)
{
    [Theory]
    [InlineData("/_framework/blazor.web.js")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.js")]
    [InlineData("/js/sse-client.js")]
    [InlineData("/js/chat-interop.js")]
    [InlineData("/js/job-delivery.js")]
    [InlineData("/js/chat-client.js")]
    [InlineData("/Chat/ChatInput.razor.js")]
    [InlineData("/Chat/ChatMessageList.razor.js")]
    [InlineData("/css/site.css")]
    public async Task The_app_serves_the_static_assets_the_pages_need(string path)
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_visitor_asks_the_guide_on_the_landing_page_and_gets_an_answer_without_a_SignalR_circuit()
    {
        var page = await app.NewPageAsync();
        var log = new RequestLog(page);
        await page.GotoAsync("/");

        await ChatPage.AskAsync(page, "How do I center an element with flexbox?");

        var answer = ChatPage.Completed(page, "How do I center an element with flexbox?");
        await Expect(answer.Locator(".chat-answer")).ToContainTextAsync("justify-content");
        await Expect(answer.Locator(".chat-sources a").First).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^/courses/"));
        await Expect(page.Locator(".chat-suggestions .mud-chip").First).ToBeVisibleAsync();
        Assert.NotEmpty(log.To("/api/landing-assistant/query"));
        Assert.DoesNotContain(log.Urls, url => url.Contains("/_blazor", StringComparison.Ordinal));
        Assert.Empty(log.WebSockets);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_guide_answers_before_WebAssembly_starts_and_hands_the_conversation_over_without_loss_or_duplicate()
    {
        const string first = "How do I center an element with flexbox?";
        const string second = "What is the event loop in JavaScript?";
        const string draft = "Which course teaches PostgreSQL indexes?";
        var page = await app.NewPageAsync();
        var log = new RequestLog(page);
        var framework = new HeldRequests();
        await page.RouteAsync("**/_framework/**", framework.HoldAsync);
        await page.GotoAsync("/", new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        // Usable and answered while nothing of Blazor's has arrived.
        await ChatPage.AskAsync(page, first);
        await Expect(ChatPage.Completed(page, first).Locator(".chat-answer")).ToContainTextAsync("justify-content");
        var box = page.GetByLabel("Your question");
        await box.FillAsync(second);
        await box.PressAsync("Enter");
        await Expect(page.Locator(".chat-turn[data-state=streaming]")).ToHaveCountAsync(1);
        await box.FillAsync(draft);
        Assert.Equal(0, framework.Released);
        Assert.DoesNotContain(log.Urls, url => url.Contains("/_blazor", StringComparison.Ordinal));

        // WebAssembly starts (Blazor asks for the runtime) and takes over (the prerender-only turn
        // template goes), mid-answer. Booting it on a loaded two-core machine can take long: order, not time, is checked.
        // The fewest turns on screen from here on: the conversation must not blink away while the
        // WebAssembly panel fetches the session's history (it shows the guide's turns first).
        await page.EvaluateAsync("""
            () => {
              window.__fewestTurns = document.querySelectorAll(".chat-turn").length;
              new MutationObserver(() => window.__fewestTurns = Math.min(window.__fewestTurns, document.querySelectorAll(".chat-turn").length))
                .observe(document.body, { subtree: true, childList: true });
            }
            """);
        var runtimeRequested = page.WaitForRequestAsync(new System.Text.RegularExpressions.Regex("/_framework/dotnet\\."), new() { Timeout = 90_000 });
        framework.Release();
        await runtimeRequested;
        await Expect(page.Locator("template[data-early-turn]")).ToHaveCountAsync(0, new() { Timeout = 90_000 });
        await Expect(box).ToHaveValueAsync(draft);
        await Expect(ChatPage.Completed(page, second).Locator(".chat-answer")).Not.ToBeEmptyAsync();
        await Expect(page.Locator(".chat-turn")).ToHaveCountAsync(2);
        await Expect(page.Locator(".chat-bubble-user", new() { HasTextString = first })).ToHaveCountAsync(1);
        await Expect(page.Locator(".chat-bubble-user", new() { HasTextString = second })).ToHaveCountAsync(1);
        await Expect(page.Locator(".chat-early-text")).ToHaveCountAsync(0);
        Assert.True(framework.Released > 0);
        Assert.Equal(2, await page.EvaluateAsync<int>("window.__fewestTurns"));

        // The draft is the WebAssembly box's own text: Enter sends it there.
        await Expect(box).ToBeEnabledAsync();
        await box.PressAsync("Enter");
        await Expect(ChatPage.Completed(page, draft)).ToHaveCountAsync(1);
        await Expect(page.Locator(".chat-turn")).ToHaveCountAsync(3);
        Assert.DoesNotContain(log.Urls, url => url.Contains("/_blazor", StringComparison.Ordinal));
        Assert.Empty(log.WebSockets);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_question_still_being_sent_when_WebAssembly_takes_over_is_answered_and_shown_once()
    {
        const string question = "What is the event loop in JavaScript?";
        var page = await app.NewPageAsync();
        var framework = new HeldRequests();
        var enqueue = new HeldRequests();
        await page.RouteAsync("**/_framework/**", framework.HoldAsync);
        await page.RouteAsync("**/api/landing-assistant/query", enqueue.HoldAsync);
        var blazorStarting = page.WaitForRequestAsync(new System.Text.RegularExpressions.Regex("/_framework/blazor\\.web"), new() { Timeout = 60_000 });
        await page.GotoAsync("/", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await blazorStarting;

        // Asked once Blazor is starting (it waits only for its held script): the question's POST is still
        // on its way when WebAssembly renders and reads the session's history.
        await ChatPage.AskAsync(page, question);
        await Expect(page.Locator(".chat-turn[data-state=sending]")).ToHaveCountAsync(1);
        framework.Release();
        await Expect(page.Locator("template[data-early-turn]")).ToHaveCountAsync(0, new() { Timeout = 90_000 });
        await Expect(page.Locator(".chat-turn")).ToHaveCountAsync(1); // the guide's turn, handed over
        enqueue.Release();

        await Expect(ChatPage.Completed(page, question)).ToHaveCountAsync(1);
        await Expect(page.Locator(".chat-turn")).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_reload_mid_answer_shows_the_conversation_and_finishes_the_answer_before_WebAssembly_starts()
    {
        const string first = "What is the event loop in JavaScript?";
        const string second = "How do I center an element with flexbox?";
        var page = await app.NewPageAsync();
        var framework = new HeldRequests();
        await page.RouteAsync("**/_framework/**", framework.HoldAsync);
        await page.GotoAsync("/", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.DoesNotContain("data-loading-conversation", await page.ContentAsync()); // a new visitor: the greeting
        await ChatPage.AskAsync(page, first);
        await Expect(ChatPage.Completed(page, first)).ToHaveCountAsync(1);
        await ChatPage.AskAsync(page, second);
        await Expect(page.Locator(".chat-turn[data-state=streaming]")).ToHaveCountAsync(1);

        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        // The server saw the visitor's conversation: "Loading your conversation…", never the greeting,
        // then the conversation itself, its running answer resumed, all before WebAssembly.
        var prerendered = await page.APIRequest.GetAsync("/");
        Assert.Contains("data-loading-conversation", await prerendered.TextAsync());
        await Expect(ChatPage.Completed(page, first)).ToHaveCountAsync(1);
        await Expect(ChatPage.Completed(page, second).Locator(".chat-answer")).ToContainTextAsync("justify-content");
        await Expect(page.Locator(".chat-turn")).ToHaveCountAsync(2);
        await Expect(page.Locator(".chat-suggestions[data-early-next] .mud-chip").First).ToBeVisibleAsync();
        Assert.Equal(0, framework.Released);

        // A new question joins that conversation, and WebAssembly then shows the same three turns.
        await ChatPage.AskAsync(page, "Which course teaches PostgreSQL indexes?");
        await Expect(page.Locator(".chat-turn[data-state=completed]")).ToHaveCountAsync(3);
        framework.Release();
        await Expect(page.Locator("template[data-early-turn]")).ToHaveCountAsync(0, new() { Timeout = 90_000 });
        await Expect(page.Locator(".chat-turn[data-state=completed]")).ToHaveCountAsync(3);
        await Expect(page.Locator(".chat-early-text")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_landing_page_asks_for_Blazor_and_MudBlazor_scripts_only_after_the_guide_is_usable()
    {
        var page = await app.NewPageAsync();
        // Notes the moment the guide's question box is first enabled, before any of the page's own scripts run.
        await page.AddInitScriptAsync("""
            (() => {
              const observer = new MutationObserver(() => {
                const box = document.querySelector("form.chat-input textarea");
                if (box && !box.disabled) { window.__guideUsableAt = performance.now(); observer.disconnect(); }
              });
              observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["disabled"] });
            })();
            """);
        await page.GotoAsync("/");

        // Blazor has started and WebAssembly rendered the guide (the prerender-only turn template goes).
        await Expect(page.Locator("template[data-early-turn]")).ToHaveCountAsync(0, new() { Timeout = 90_000 });
        var order = await page.EvaluateAsync<double[]>("""
            () => {
              const started = (part) => performance.getEntriesByType("resource").filter((r) => r.name.includes(part)).map((r) => r.startTime);
              return [window.__guideUsableAt ?? -1, Math.min(...started("/_framework/")), Math.min(...started("MudBlazor.min.js")), Math.max(...started("/js/chat-client.js"))];
            }
            """);

        var (usable, firstFramework, mudBlazorScript, chatClient) = (order[0], order[1], order[2], order[3]);
        Assert.True(usable > 0, "the guide's box was enabled");
        Assert.True(firstFramework > usable, $"_framework/ asked for at {firstFramework:0} ms, the guide usable at {usable:0} ms");
        Assert.True(mudBlazorScript > usable, $"MudBlazor.min.js asked for at {mudBlazorScript:0} ms, the guide usable at {usable:0} ms");
        Assert.True(chatClient < usable, "the guide's modules came first");
        await page.Context.CloseAsync();
    }
}

/// <summary>Holds back the requests routed to it until <see cref="Release"/>, then lets them (and all later ones) through.</summary>
public sealed class HeldRequests
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _continued;

    /// <summary>How many held requests have been let through.</summary>
    public int Released => Volatile.Read(ref _continued);

    public void Release() => _released.TrySetResult();

    public async Task HoldAsync(IRoute route)
    {
        await _released.Task;
        Interlocked.Increment(ref _continued);
        await route.ContinueAsync();
    }
}
