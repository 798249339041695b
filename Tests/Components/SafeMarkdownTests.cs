using BlazorJobs.App.Client.Chat;

namespace BlazorJobs.Tests.Components;

/// <summary>Answers are Markdown from a model or from content: what reaches the page must be safe HTML.</summary>
public sealed class SafeMarkdownTests
{
    [Fact]
    public void Raw_html_in_an_answer_is_shown_as_text_not_run()
    {
        var html = SafeMarkdown.ToHtml("Hello <script>alert(1)</script> <img src=x onerror=alert(1)>").Value;

        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("&lt;script&gt;", html);
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JaVaScRiPt:alert(1))")]
    [InlineData("[click](java&#09;script:alert(1))")]
    [InlineData("[click](data:text/html,<b>x</b>)")]
    [InlineData("[click](//evil.example/path)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("![click](javascript:alert(1))")]
    public void A_link_that_is_not_http_or_relative_keeps_its_text_and_loses_its_target(string markdown)
    {
        var html = SafeMarkdown.ToHtml(markdown).Value;

        Assert.DoesNotContain("href", html);
        Assert.DoesNotContain("src=", html);
        Assert.Contains("click", html.Replace("javascript:alert(1)", "click"));
    }

    [Theory]
    [InlineData("[Flexbox](/courses/html-css-foundations?lesson=flexbox-layout)", "/courses/html-css-foundations?lesson=flexbox-layout")]
    [InlineData("[MDN](https://developer.mozilla.org/)", "https://developer.mozilla.org/")]
    [InlineData("https://example.com/docs", "https://example.com/docs")]
    public void Relative_and_http_links_are_kept(string markdown, string href)
    {
        Assert.Contains($"href=\"{href}\"", SafeMarkdown.ToHtml(markdown).Value);
    }

    [Fact]
    public void Emphasis_lists_and_code_are_rendered()
    {
        var html = SafeMarkdown.ToHtml("**Bold**, *italic* and `code`\n\n- one\n- two").Value;

        Assert.Contains("<strong>Bold</strong>", html);
        Assert.Contains("<em>italic</em>", html);
        Assert.Contains("<code>code</code>", html);
        Assert.Contains("<li>two</li>", html);
    }
}
