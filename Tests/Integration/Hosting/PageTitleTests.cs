using System.Text.RegularExpressions;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Hosting;

/// <summary>Every page names itself: one <c>&lt;title&gt;</c>, its own (a tab, a bookmark and a screen reader tell pages apart by it).</summary>
public sealed partial class PageTitleTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Each_page_has_one_title_of_its_own()
    {
        using var browser = app.CreateClient();
        string[] pages = ["/", "/courses", "/courses/html-css-foundations", "/feed", "/Account/Login", "/Account/Register", "/no-such-page"];

        var titles = new Dictionary<string, string>();
        foreach (var page in pages)
        {
            var html = await (await browser.GetAsync(page)).Content.ReadAsStringAsync(); // the 404 page too
            var found = TitleElement().Matches(html);
            Assert.True(found.Count == 1, $"{page} has {found.Count} <title> elements");
            titles[page] = found[0].Groups[1].Value;
        }

        Assert.Equal(pages.Length, titles.Values.Distinct().Count());
        Assert.Contains("HTML", titles["/courses/html-css-foundations"]);
    }

    [GeneratedRegex("<title>([^<]*)</title>")]
    private static partial Regex TitleElement();
}
