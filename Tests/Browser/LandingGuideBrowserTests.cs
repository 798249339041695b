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
}
