using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorJobs.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class HybridFallbackBrowserTests(HybridBrowserApp app) : IClassFixture<HybridBrowserApp>
{
    /// <summary>
    /// Both guides on "/" deliver through the same module: the early guide (WebAssembly held back) and
    /// then, once WebAssembly has taken over, the .NET panel. Each falls back to polling.
    /// </summary>
    [Fact]
    public async Task With_hybrid_delivery_a_failing_stream_still_delivers_the_answer_by_polling()
    {
        var page = await app.NewPageAsync();
        var log = new RequestLog(page);
        var framework = new HeldRequests();
        await page.RouteAsync("**/_framework/**", framework.HoldAsync);
        // Every stream request fails, as behind a proxy that cuts event streams.
        await page.RouteAsync("**/api/landing-assistant/stream/**", route => route.AbortAsync());
        // "load" waits for blazor.web.js, which is held back.
        await page.GotoAsync("/", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        const string early = "What is the event loop in JavaScript?";
        const string later = "How do I center an element with flexbox?";

        await ChatPage.AskAsync(page, early);

        await Expect(ChatPage.Completed(page, early).Locator(".chat-answer")).ToContainTextAsync("event loop");
        await Expect(page.Locator(".chat-panel")).ToHaveAttributeAsync("data-delivery", "via hybrid · polling");
        Assert.Equal(0, framework.Released);

        framework.Release();
        await Expect(page.Locator("template[data-early-turn]")).ToHaveCountAsync(0, new() { Timeout = 90_000 });
        await ChatPage.AskAsync(page, later);

        await Expect(ChatPage.Completed(page, later).Locator(".chat-answer")).ToContainTextAsync("justify-content");
        await Expect(page.Locator(".chat-panel")).ToHaveAttributeAsync("data-delivery", "via hybrid · polling");
        Assert.Equal(2, log.To("/api/landing-assistant/job/").Select(r => new Uri(r.Url).AbsolutePath).Distinct().Count());
        Assert.NotEmpty(log.To("/api/landing-assistant/stream/"));
        await page.Context.CloseAsync();
    }
}
