using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.AspNetCore.Components;

namespace BlazorJobs.App.Client.Chat;

/// <summary>
/// Answers and lesson texts are Markdown. Raw HTML in them is escaped (DisableHtml), and a link or image whose URL
/// is not http(s) or relative is shown as its plain text, so the HTML produced is safe to render.
/// Code blocks come with a language label and a Copy button (<see cref="LabelledCodeBlockRenderer"/>;
/// the button's click is handled by ChatMessageList.razor.js, as markup has no Blazor events).
/// </summary>
public static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    /// <param name="partial">The text is not the whole answer (still arriving, or stopped): what is open at its end is closed first.</param>
    public static MarkupString ToHtml(string? markdown, bool partial = false)
    {
        if (string.IsNullOrEmpty(markdown))
        {
            return new MarkupString("");
        }
        var document = Markdown.Parse(partial ? PartialMarkdown.Complete(markdown) : markdown, Pipeline);
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
        return new MarkupString(Render(document));
    }

    private static string Render(MarkdownDocument document)
    {
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        var codeBlocks = renderer.ObjectRenderers.FindExact<CodeBlockRenderer>();
        if (codeBlocks is not null)
        {
            renderer.ObjectRenderers.Replace<CodeBlockRenderer>(new LabelledCodeBlockRenderer(codeBlocks));
        }
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
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
