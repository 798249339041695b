using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Rollout;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorJobs.Tests.Browser;

/// <summary>
/// No forced delivery mode, so the rollout decides; the Synthetic tutor answers in 25 pieces over
/// 5 s, long enough for an admin to act while an answer is streaming.
/// </summary>
public sealed class RolloutBrowserApp() : SyntheticTutorBrowserApp(deltas: 25, durationMs: 5000);

/// <summary>An admin changes the delivery rollout on /admin/rollout while learners ask the course tutor.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RolloutBrowserTests(RolloutBrowserApp app) : IClassFixture<RolloutBrowserApp>, IAsyncLifetime
{
    private const string CoursePath = $"/courses/{ChatPage.CourseSlug}";
    private const string AdminEmail = "admin@example.com";

    /// <summary>Each test starts with everyone on SSE and the kill switch off, whatever the previous test left.</summary>
    public async Task InitializeAsync()
    {
        using var admin = await RolloutClient.AdminAsync(app);
        await RolloutClient.PutAsync(admin, 100, 0, 0, killSwitch: false);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_admin_moves_everyone_to_polling_and_a_learners_next_question_is_polled()
    {
        var learner = await app.NewPageAsync();
        var log = new RequestLog(learner);
        await ChatPage.SignInAsNewLearnerAsync(learner, app, CoursePath);
        var before = await AskAsync(learner, "What does the box model include?");
        await Expect(ChatPage.Completed(learner, "What does the box model include?")).ToBeVisibleAsync();
        Assert.Equal("sse", before.Delivery);
        Assert.NotEmpty(log.To($"/api/assistant/stream/{before.JobId}"));
        var admin = await OpenConsoleAsAdminAsync();

        await admin.GetByLabel("SSE %").FillAsync("0");
        await admin.GetByLabel("Hybrid %").FillAsync("0");
        await admin.GetByLabel("Hybrid %").PressAsync("Tab");
        await Expect(admin.GetByText("Polling: 100%")).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save allocation" }).ClickAsync();
        await Expect(AuditRows(admin).First).ToContainTextAsync("sse 100 / hybrid 0 / polling 0 → sse 0 / hybrid 0 / polling 100");
        const string question = "How do I centre an item with flexbox?";
        var next = await AskAsync(learner, question);

        await Expect(ChatPage.Completed(learner, question).Locator(".chat-answer")).ToHaveTextAsync(app.FullAnswer);
        Assert.Equal("polling", next.Delivery);
        await Expect(learner.Locator(".chat-panel")).ToHaveAttributeAsync("data-delivery", "via polling");
        Assert.NotEmpty(log.To($"/api/assistant/job/{next.JobId}"));
        Assert.Empty(log.To($"/stream/{next.JobId}"));
        await admin.Context.CloseAsync();
        await learner.Context.CloseAsync();
    }

    [Fact]
    public async Task The_kill_switch_goes_on_mid_answer_and_the_answer_still_arrives_once_by_polling()
    {
        var admin = await OpenConsoleAsAdminAsync();
        var learner = await app.NewPageAsync();
        var log = new RequestLog(learner);
        await ChatPage.SignInAsNewLearnerAsync(learner, app, CoursePath);
        const string question = "What is the difference between margin and padding?";
        var job = await AskAsync(learner, question);
        Assert.Equal("sse", job.Delivery);
        await Expect(learner.Locator(".chat-turn[data-state=streaming] .chat-markdown")).ToContainTextAsync("part1");

        await admin.GetByRole(AriaRole.Button, new() { Name = "Stop SSE for everyone" }).ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Stop SSE for everyone?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Stop SSE" }).ClickAsync();
        await Expect(admin.GetByText("SSE is stopped: everyone polls.")).ToBeVisibleAsync();

        var answer = ChatPage.Completed(learner, question).Locator(".chat-answer");
        await Expect(answer).ToHaveTextAsync(app.FullAnswer);
        await Expect(learner.Locator(".chat-turn")).ToHaveCountAsync(1);
        await Expect(learner.Locator(".chat-panel")).ToHaveAttributeAsync("data-delivery", "via sse · polling");
        Assert.NotEmpty(log.To($"/api/assistant/stream/{job.JobId}"));
        Assert.NotEmpty(log.To($"/api/assistant/job/{job.JobId}"));
        await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Resume the rollout" })).ToBeEnabledAsync();
        await admin.Context.CloseAsync();
        await learner.Context.CloseAsync();
    }

    [Fact]
    public async Task The_figures_come_over_the_admin_stream_and_move_when_a_question_is_answered()
    {
        var admin = await app.NewPageAsync();
        var adminLog = new RequestLog(admin);
        await ChatPage.SignInAsync(admin, "/admin/rollout", AdminEmail, AppFixture.AdminPassword);
        await Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "Live" })).ToBeVisibleAsync();
        var answered = FiguresRow(admin, "sse").Locator("td[data-label='Answered']");
        await Expect(answered).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        var before = int.Parse(await answered.TextContentAsync() ?? "", System.Globalization.CultureInfo.InvariantCulture);
        var stream = Assert.Single(adminLog.To("/api/admin/rollout/stream"));
        Assert.Equal("text/event-stream", await stream.HeaderValueAsync("accept"));

        var learner = await app.NewPageAsync();
        await ChatPage.SignInAsNewLearnerAsync(learner, app, CoursePath);
        const string question = "What does the box model include?";
        var job = await AskAsync(learner, question);
        await Expect(ChatPage.Completed(learner, question)).ToBeVisibleAsync();

        // The next `stats` event (every 2 s) counts the answer: same page, same stream, no reload.
        Assert.Equal("sse", job.Delivery);
        await Expect(answered).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Single(adminLog.To("/api/admin/rollout/stream"));
        await Expect(admin.Locator("figure.rollout-chart")).ToHaveCountAsync(2);
        await admin.Context.CloseAsync();
        await learner.Context.CloseAsync();
    }

    [Fact]
    public async Task A_learner_opening_the_rollout_page_gets_403()
    {
        var page = await app.NewPageAsync();
        await ChatPage.SignInAsNewLearnerAsync(page, app, "/courses");

        var response = await page.GotoAsync("/admin/rollout");

        Assert.Equal(403, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("403 — Admins only");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save allocation" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Stop SSE for everyone" })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task The_rollout_and_feed_pages_fit_the_screen(string device, int width, int height)
    {
        var page = await app.NewPageAsync(width, height);
        var folder = ChatPage.ScreenshotFolder();
        await ChatPage.SignInAsync(page, "/admin/rollout", AdminEmail, AppFixture.AdminPassword);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save allocation" })).ToBeEnabledAsync();
        // The figures and charts arrive with the admin stream's first `stats`.
        await Expect(page.Locator("figure.rollout-chart")).ToHaveCountAsync(2);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"admin-rollout-{device}.png"), FullPage = true });
        // At full size: the whole page is scaled down too far to judge the charts' labels on a phone.
        await page.Locator("#rollout-figures-table").Locator("xpath=ancestor::div[contains(@class,'mud-paper')][1]")
            .ScreenshotAsync(new() { Path = Path.Combine(folder, $"admin-rollout-{device}-figures.png") });
        var adminOverflows = await OverflowsAsync(page);

        await page.GotoAsync("/feed");
        await Expect(page.Locator(".feed-title").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"feed-{device}.png"), FullPage = true });
        // The whole feed is several screens long; the first screen is what a person sees on arrival.
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"feed-{device}-first-screen.png") });
        var feedOverflows = await OverflowsAsync(page);

        Assert.False(adminOverflows, "/admin/rollout scrolls sideways");
        Assert.False(feedOverflows, "/feed scrolls sideways");
        await page.Context.CloseAsync();
    }

    private async Task<IPage> OpenConsoleAsAdminAsync()
    {
        var page = await app.NewPageAsync();
        await ChatPage.SignInAsync(page, "/admin/rollout", AdminEmail, AppFixture.AdminPassword);
        // Enabled once the console's circuit is up (it is prerendered first).
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save allocation" })).ToBeEnabledAsync();
        return page;
    }

    /// <summary>Asks the course tutor and returns what the server answered to the enqueue (job id, delivery mode).</summary>
    private static async Task<Accepted> AskAsync(IPage page, string question)
    {
        var response = await page.RunAndWaitForResponseAsync(
            () => ChatPage.AskAsync(page, question),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/api/assistant/query");
        return Json.Parse<Accepted>(await response.TextAsync());
    }

    /// <summary>A mode's row of the live figures (a labelled card on a phone).</summary>
    private static ILocator FiguresRow(IPage page, string mode) =>
        page.Locator("#rollout-figures-table tbody tr").Filter(new()
        {
            Has = page.Locator("td[data-label='Mode']", new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{mode}\\s*$") }),
        });

    private static ILocator AuditRows(IPage page) =>
        page.Locator("table").Filter(new() { Has = page.GetByRole(AriaRole.Columnheader, new() { Name = "Why" }) }).Locator("tbody tr");

    private static Task<bool> OverflowsAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
}
