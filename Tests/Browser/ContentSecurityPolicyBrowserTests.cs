using BlazorJobs.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorJobs.Tests.Browser;

/// <summary>
/// api.md, Security headers: the site runs under its Content-Security-Policy with nothing refused —
/// the landing guide's WebAssembly, the course tutor's circuit, the live feed and the admin console
/// each do their work, and the browser reports no violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyBrowserTests(StreamingBrowserApp app)
{
    [Fact]
    public async Task Every_page_does_its_work_with_no_content_security_policy_violation()
    {
        var page = await app.NewPageAsync();
        var violations = await RecordViolationsAsync(page);

        await page.GotoAsync("/");
        const string guideQuestion = "Which course teaches flexbox?";
        await ChatPage.AskAsync(page, guideQuestion);
        await Expect(ChatPage.Completed(page, guideQuestion)).ToBeVisibleAsync();

        await page.GotoAsync("/feed");
        await Expect(page.Locator("[aria-label='Loading activity']")).ToHaveCountAsync(0);

        await ChatPage.SignInAsNewLearnerAsync(page, app, $"/courses/{ChatPage.CourseSlug}?lesson=flexbox-layout");
        const string tutorQuestion = "How do I centre an item with flexbox?";
        await ChatPage.AskAsync(page, tutorQuestion);
        await Expect(ChatPage.Completed(page, tutorQuestion)).ToBeVisibleAsync();
        await page.Context.CloseAsync();

        var admin = await app.NewPageAsync();
        var adminViolations = await RecordViolationsAsync(admin);
        await ChatPage.SignInAsync(admin, "/admin/rollout", "admin@example.com", AppFixture.AdminPassword);
        await Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "Live" })).ToBeVisibleAsync();
        await admin.Context.CloseAsync();

        Assert.Empty(violations);
        Assert.Empty(adminViolations);
    }

    /// <summary>
    /// Every <c>securitypolicyviolation</c> event of every document the page loads, and every console
    /// error that names the policy. The listener is installed by the browser itself (an init script
    /// and a binding are not subject to the page's policy).
    /// </summary>
    private static async Task<List<string>> RecordViolationsAsync(IPage page)
    {
        var violations = new List<string>();
        await page.ExposeFunctionAsync("__reportCspViolation", (string violation) =>
        {
            lock (violations)
            {
                violations.Add(violation);
            }
        });
        await page.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e =>
                window.__reportCspViolation(`${location.pathname}: ${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
            """);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                lock (violations)
                {
                    violations.Add(message.Text);
                }
            }
        };
        return violations;
    }
}
