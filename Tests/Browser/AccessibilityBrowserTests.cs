using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace BlazorJobs.Tests.Browser;

/// <summary>
/// axe-core (the npm package in Tests/js, pinned by its lock file) on every page, at desktop and phone
/// sizes, signed in and out where it matters: zero violations of WCAG 2.1 A/AA and axe's best practices.
/// Each page is loaded once, checked at 1280×800, then resized to 390×844 and checked again: a fresh
/// browser context per size would download the whole WebAssembly runtime twice (cold cache).
/// </summary>
[Collection(AccessibilityCollection.Name)]
public sealed class AccessibilityBrowserTests(StreamingBrowserApp app, ITestOutputHelper output)
{
    private const string CoursePath = "/courses/" + ChatPage.CourseSlug;

    public static TheoryData<string> PublicPages() => ["/", "/courses", CoursePath, "/feed", "/Account/Login", "/Account/Register", "/admin/rollout", "/admin/jobs", "/no-such-page"];

    public static TheoryData<string> LearnerPages() => ["/", "/courses", CoursePath, "/feed"];

    public static TheoryData<string> AdminPages() => ["/admin/rollout", "/admin/jobs"];

    [Theory]
    [MemberData(nameof(PublicPages))]
    public async Task A_signed_out_page_has_no_axe_violations(string path)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(path);

        await AssertNoViolationsAtBothSizesAsync(page, $"{path} signed out");
    }

    [Theory]
    [MemberData(nameof(LearnerPages))]
    public async Task A_learners_page_has_no_axe_violations(string path)
    {
        var page = await NewPageAsync();
        await ChatPage.SignInAsNewLearnerAsync(page, app, path);

        await AssertNoViolationsAtBothSizesAsync(page, $"{path} as a learner");
    }

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task An_admins_page_has_no_axe_violations(string path)
    {
        var page = await NewPageAsync();
        await ChatPage.SignInAsync(page, path, "admin@example.com", Infrastructure.AppFixture.AdminPassword);
        if (path == "/admin/jobs")
        {
            // Checked once the first snapshot is drawn, tables and all.
            await Expect(page.Locator(".jobs-stream-status")).ToHaveAttributeAsync("data-status", "live");
            await Expect(page.Locator(".jobs-instances")).ToBeVisibleAsync();
        }
        else
        {
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save allocation" })).ToBeEnabledAsync();
        }

        await AssertNoViolationsAtBothSizesAsync(page, $"{path} as an admin");
    }

    /// <summary>The page's CSP allows only its own scripts; axe is injected by the test, so this context bypasses it.</summary>
    private async Task<IPage> NewPageAsync()
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            BypassCSP = true,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    private async Task AssertNoViolationsAtBothSizesAsync(IPage page, string what)
    {
        // Settled: interactive islands have started and the feed has loaded what it loads.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 30_000 }).ContinueWith(_ => { });
        await page.AddScriptTagAsync(new() { Path = AxeScriptPath });
        var desktop = await ViolationsAsync(page, $"{what} at 1280×800");

        await page.SetViewportSizeAsync(390, 844);
        // MudBlazor's breakpoint listener re-renders on resize after a short debounce; let it and the layout settle.
        await page.EvaluateAsync("() => new Promise(done => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(done)), 500))");
        var phone = await ViolationsAsync(page, $"{what} at 390×844");
        await page.Context.CloseAsync();

        Assert.True(desktop.Count == 0, $"{what} at 1280×800: {desktop.Count} axe violations: {string.Join(", ", desktop.Select(v => v.id))}");
        Assert.True(phone.Count == 0, $"{what} at 390×844: {phone.Count} axe violations: {string.Join(", ", phone.Select(v => v.id))}");
    }

    private async Task<List<Violation>> ViolationsAsync(IPage page, string what)
    {
        var json = await page.EvaluateAsync<string>(
            """
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
              return JSON.stringify(result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary) })));
            }
            """);
        var violations = JsonSerializer.Deserialize<List<Violation>>(json)!;
        foreach (var violation in violations)
        {
            output.WriteLine($"{what}: {violation.id} ({violation.impact}) {violation.help}\n    {string.Join("\n    ", violation.nodes)}");
        }
        return violations;
    }

    private static string AxeScriptPath { get; } = Path.Combine(RepositoryFolder(), "Tests", "js", "node_modules", "axe-core", "axe.min.js");

    private static string RepositoryFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BlazorJobs.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("No BlazorJobs.sln above the test binaries.");
    }

    private sealed record Violation(string id, string? impact, string help, List<string> nodes);
}
