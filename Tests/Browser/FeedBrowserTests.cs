using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorJobs.Tests.Browser;

/// <summary>
/// The /feed page as a reader meets it: the API unreachable (its route blocked), then Retry; new
/// activity while the reader is down the page (the "N new" pill takes them to it) and at the top
/// (it simply appears). axe finds nothing in the failed state nor with the new row focused;
/// screenshots of each state go to Tests/Browser/screenshots-out.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FeedBrowserTests(StreamingBrowserApp app)
{
    [Theory]
    [InlineData("desktop", 1280, 800)]
    [InlineData("phone", 390, 844)]
    public async Task An_unreachable_feed_offers_retry_and_new_activity_reaches_the_reader_wherever_they_are(string device, int width, int height)
    {
        var page = await app.NewPageAsync(width, height);
        var folder = ChatPage.ScreenshotFolder();
        var feedRoute = new Regex("/api/feed(/|\\?|$)");
        await page.RouteAsync(feedRoute, route => route.AbortAsync());

        await page.GotoAsync("/feed");
        var failed = page.Locator(".feed-failed");
        await Expect(failed.GetByRole(AriaRole.Alert)).ToContainTextAsync("could not be loaded");
        await Expect(page.Locator("[aria-busy=true]")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"feed-failed-{device}.png") });
        Assert.Empty(await AxeScan.ViolationsAsync(page));

        await page.UnrouteAsync(feedRoute);
        await failed.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(page.Locator(".feed-title").First).ToBeVisibleAsync();
        await Expect(failed).ToHaveCountAsync(0);

        // Down the page: new activity waits behind the pill, which takes the reader to it.
        await page.Mouse.WheelAsync(0, 1500);
        await Expect(page.Locator(".feed-title").First).Not.ToBeInViewportAsync();
        var below = $"Posted while the reader was below ({device} {Guid.NewGuid():N})";
        await AnnounceAsync(below);
        var pill = page.Locator(".feed-pill").GetByRole(AriaRole.Button);
        await Expect(pill).ToHaveTextAsync(new Regex("^\\s*1 new\\s*$"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"feed-pill-{device}.png") });
        await pill.ClickAsync();
        var focused = page.Locator("li.feed-row:focus");
        await Expect(focused).ToHaveAttributeAsync("aria-label", $"New: {below}");
        await Expect(focused).ToBeInViewportAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"feed-revealed-{device}.png") });
        Assert.Empty(await AxeScan.ViolationsAsync(page)); // the focused new row, labelled, with its outline

        // At the top: new activity simply appears, with no pill.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await Expect(page.Locator(".feed-title").First).ToBeInViewportAsync();
        var atTop = $"Posted while the reader was at the top ({device} {Guid.NewGuid():N})";
        await AnnounceAsync(atTop);
        await Expect(page.Locator(".feed-title").First).ToHaveTextAsync(atTop);
        await Expect(page.Locator(".feed-pill")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"feed-{device}-1st-screen.png") });
        await page.Context.CloseAsync();
    }

    private Task AnnounceAsync(string title) =>
        app.ScalarAsync("INSERT INTO announcements (title, body, published_at) VALUES (@title, 'From the feed browser test.', now())", ("title", title));
}
