using BlazorJobs.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorJobs.Tests.Browser;

/// <summary>Every question fails for good (Synthetic tutor, FailEvery=1, one attempt): a failed job is one question away.</summary>
public sealed class FailingTutorBrowserApp() : SyntheticTutorBrowserApp(deltas: 2, durationMs: 0)
{
    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings =>
    [
        new("Tutor:Synthetic:FailEvery", "1"),
        new("Jobs:MaxAttempts", "1"),
        new("Operations:HeartbeatSeconds", "0.5"),
        new("Operations:SnapshotSeconds", "0.5"),
    ];
}

/// <summary>An admin watches /admin/jobs live while a question fails, and retries it; a learner is refused.</summary>
[Collection(BrowserCollection.Name)]
public sealed class JobsDashboardBrowserTests(FailingTutorBrowserApp app) : IClassFixture<FailingTutorBrowserApp>
{
    /// <summary>Where the screenshots go, to be looked at (not compared): BLAZORJOBS_SCREENSHOTS or the temp folder.</summary>
    private static readonly string ScreenshotFolder =
        Environment.GetEnvironmentVariable("BLAZORJOBS_SCREENSHOTS") is { Length: > 0 } folder ? folder : Path.GetTempPath();

    [Theory]
    [InlineData("desktop", 1280, 800)]
    [InlineData("phone", 390, 844)]
    public async Task An_admin_sees_a_failure_arrive_live_and_retries_it_and_the_page_fits_the_screen(string device, int width, int height)
    {
        var admin = await app.NewPageAsync(width, height);
        await ChatPage.SignInAsync(admin, "/admin/jobs", "admin@example.com", AppFixture.AdminPassword);
        await Expect(admin.Locator(".jobs-stream-status")).ToHaveAttributeAsync("data-status", "live");
        await Expect(admin.Locator(".jobs-instances tbody tr")).ToHaveCountAsync(1);

        using var visitor = app.CreateClient();
        var accepted = await ChatApi.AskAsync(visitor, ChatApi.Landing, $"Which flexbox property wraps items? ({device})");
        var shortId = accepted.JobId.ToString("N")[^8..];
        var row = admin.Locator(".jobs-failed tbody tr", new() { HasText = shortId });

        // No reload: the snapshot arrives over the stream.
        await Expect(row).ToContainTextAsync("Synthetic failure");
        await admin.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, $"admin-jobs-{device}.png"), FullPage = true });
        var overflow = await admin.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Retry job {shortId}" }).ClickAsync();

        await Expect(admin.Locator(".jobs-action-notice")).ToContainTextAsync($"Job {shortId} retried");
        Assert.Equal(0, overflow);
        Assert.Equal(2, (await ChatApi.WaitForTerminalAsync(visitor, accepted.PollUrl)).Attempt);
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task A_learner_opening_the_dashboard_gets_403_and_no_figures()
    {
        var page = await app.NewPageAsync();
        await ChatPage.SignInAsNewLearnerAsync(page, app, "/courses");

        var response = await page.GotoAsync("/admin/jobs");

        Assert.Equal(403, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("403 — Admins only");
        await Expect(page.Locator(".jobs-stream-status")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
