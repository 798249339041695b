using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.AspNetCore.Components;

namespace BlazorJobs.App.Client.Chat;

/// <summary>
/// Answers and lesson texts are Markdown. Raw HTML in them is escaped (DisableHtml), and a link or image whose URL
/// is not http(s) or relative is shown as its plain text, so the HTML produced is safe to render.
/// </summary>
public static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    public static MarkupString ToHtml(string? markdown)
    {
        if (string.IsNullOrEmpty(markdown))
        {
            return new MarkupString("");
        }
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (!SafeUrl.IsAllowed(link.Url))
            {
                Unwrap(link);
            }
        }
        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (autolink.IsEmail || !SafeUrl.IsAllowed(autolink.Url))
            {
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
            }
        }
        return new MarkupString(document.ToHtml(Pipeline));
    }

    /// <summary>Keeps a link's text (an image's alt text) and drops the link.</summary>
    private static void Unwrap(LinkInline link)
    {
        if (link.IsImage)
        {
            var alt = string.Concat(link.Descendants<LiteralInline>().Select(l => l.Content.ToString()));
            link.ReplaceBy(new LiteralInline(alt));
            return;
        }
        foreach (var child in link.ToList())
        {
            child.Remove();
            link.InsertBefore(child);
        }
        link.Remove();
    }
}
