using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorJobs.Tests.Browser;

/// <summary>
/// Each page on a desktop and on a phone: nothing makes the phone scroll sideways. Screenshots are
/// saved to Tests/Browser/screenshots-out for a person to look at.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PageLayoutBrowserTests(StreamingBrowserApp app)
{
    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task Every_page_fits_the_screen_without_horizontal_scrolling(string device, int width, int height)
    {
        var page = await app.NewPageAsync(width, height);
        var folder = ChatPage.ScreenshotFolder();
        var overflowing = new List<string>();

        async Task CaptureAsync(string name, string? detail = null)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}-{device}.png"), FullPage = true });
            if (detail is not null)
            {
                await page.Locator(detail).ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(folder, $"{name}-{device}-chat.png") });
            }
            if (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth"))
            {
                overflowing.Add(name);
            }
        }

        await page.GotoAsync("/Account/Login");
        await CaptureAsync("login");
        await page.GotoAsync("/courses");
        await CaptureAsync("courses");
        await page.GotoAsync("/");
        const string guideQuestion = "Which course teaches flexbox?";
        await ChatPage.AskAsync(page, guideQuestion);
        await Expect(ChatPage.Completed(page, guideQuestion)).ToBeVisibleAsync();
        await CaptureAsync("home", ".landing-island");

        await ChatPage.SignInAsNewLearnerAsync(page, app, $"/courses/{ChatPage.CourseSlug}?lesson=flexbox-layout");
        var question = $"How do I centre an item with flexbox? ({device})";
        await ChatPage.AskAsync(page, question);
        await Expect(ChatPage.Completed(page, question)).ToBeVisibleAsync();
        await CaptureAsync("course-with-chat", ".tutor-column");

        Assert.Empty(overflowing);
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// On a phone the chat sits below the courses: a floating link leads there, and must not cover the
    /// conversation of a visitor who scrolled down to it instead.
    /// </summary>
    [Fact]
    public async Task On_a_phone_the_floating_link_to_the_guide_is_hidden_while_the_guide_is_on_screen()
    {
        var page = await app.NewPageAsync(390, 844);
        await page.GotoAsync("/");
        var jump = page.Locator(".tutor-jump");

        await Expect(jump).ToBeVisibleAsync();
        await page.Locator(".landing-island").ScrollIntoViewIfNeededAsync();
        await Expect(jump).ToBeHiddenAsync();
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await Expect(jump).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
