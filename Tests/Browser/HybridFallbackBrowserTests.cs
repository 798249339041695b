using static Microsoft.Playwright.Assertions;

namespace BlazorJobs.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class HybridFallbackBrowserTests(HybridBrowserApp app) : IClassFixture<HybridBrowserApp>
{
    [Fact]
    public async Task With_hybrid_delivery_a_failing_stream_still_delivers_the_answer_by_polling()
    {
        var page = await app.NewPageAsync();
        var log = new RequestLog(page);
        // Every stream request fails, as behind a proxy that cuts event streams.
        await page.RouteAsync("**/api/landing-assistant/stream/**", route => route.AbortAsync());
        await page.GotoAsync("/");
        const string question = "What is the event loop in JavaScript?";

        await ChatPage.AskAsync(page, question);

        await Expect(ChatPage.Completed(page, question).Locator(".chat-answer")).ToContainTextAsync("event loop");
        await Expect(page.Locator(".chat-panel")).ToHaveAttributeAsync("data-delivery", "via hybrid · polling");
        Assert.NotEmpty(log.To("/api/landing-assistant/stream/"));
        Assert.NotEmpty(log.To("/api/landing-assistant/job/"));
        await page.Context.CloseAsync();
    }
}
