using Microsoft.Playwright;

namespace BlazorJobs.Tests.Browser;

/// <summary>
/// axe-core (Tests/js/node_modules, pinned) run on a page in the state a test has brought it to, with
/// the page's own Content-Security-Policy in force: evaluated through the DevTools protocol, which
/// the CSP does not govern, instead of an injected script tag.
/// </summary>
public static class AxeScan
{
    private static readonly Lazy<string> Source = new(() =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(ChatPage.ScreenshotFolder())!, "..", "js", "node_modules", "axe-core", "axe.min.js")));

    /// <summary>The WCAG 2.1 A/AA and best-practice violations on the page now, as "id: target" lines.</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page)
    {
        await page.EvaluateAsync(Source.Value);
        return await page.EvaluateAsync<string[]>(
            """
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
              return result.violations.flatMap(v => v.nodes.map(n => `${v.id}: ${n.target.join(' ')}`));
            }
            """);
    }
}
