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

    [Theory]
    [InlineData("Use **bold te", "<strong>bold te</strong>")]
    [InlineData("Call `getElem", "<code>getElem</code>")]
    [InlineData("It is *quite ~~wrong", "<em>quite <del>wrong</del></em>")]
    [InlineData("Read [the lesson](/courses/htm", "Read the lesson")]
    [InlineData("Read [the less", "Read the less")]
    [InlineData("Almost done **", "Almost done")]
    [InlineData("- one\n- two *", "<li>two</li>")]
    public void A_partial_answer_closes_what_is_open_and_shows_no_raw_markers(string partial, string expected)
    {
        var html = SafeMarkdown.ToHtml(partial, partial: true).Value;

        Assert.Contains(expected, html);
        Assert.DoesNotContain("*", html);
        Assert.DoesNotContain("`", html);
        Assert.DoesNotContain("](", html);
        Assert.DoesNotContain("[", html);
    }

    [Fact]
    public void A_partial_answer_ending_inside_a_code_block_renders_the_block_as_code()
    {
        var html = SafeMarkdown.ToHtml("Try this:\n\n```js\nconst a = `x` + **b", partial: true).Value;

        Assert.Contains("<code class=\"language-js\">const a = `x` + **b\n</code>", html);
        Assert.DoesNotContain("```", html);
    }

    [Fact]
    public void Markers_after_a_closed_code_block_and_list_bullets_are_left_alone()
    {
        var html = SafeMarkdown.ToHtml("```\nx * y\n```\n\n* item **one** and 2 * 3", partial: true).Value;

        Assert.Contains("<li>item <strong>one</strong> and 2 * 3</li>", html);
        Assert.Contains("x * y", html);
    }

    [Fact]
    public void A_code_block_has_its_language_a_copy_button_and_monospace_code()
    {
        var html = SafeMarkdown.ToHtml("```html\n<div class=\"box\"></div>\n```\n\n    indented").Value;

        Assert.Contains("<span class=\"chat-code-language\">html</span>", html);
        Assert.Contains("<button type=\"button\" class=\"chat-code-copy\" aria-label=\"Copy html code\">Copy</button>", html);
        Assert.Contains("&lt;div class=&quot;box&quot;&gt;&lt;/div&gt;", html);
        Assert.Contains("aria-label=\"Copy code\"", html); // the indented block names no language
        Assert.Equal(2, html.Split("class=\"chat-code\"").Length - 1);
    }

    [Fact]
    public void A_language_name_cannot_inject_markup()
    {
        var html = SafeMarkdown.ToHtml("```\"><script>x\ncode\n```").Value;

        Assert.DoesNotContain("<script", html);
    }
}
