using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace BlazorJobs.App.Client.Chat;

/// <summary>
/// Renders a code block as Markdig does, inside a frame with the fence's language ("Code" when it
/// names none) and a Copy button. The button is plain markup: ChatMessageList.razor.js copies the
/// text of the <c>code</c> element next to it.
/// </summary>
internal sealed class LabelledCodeBlockRenderer(CodeBlockRenderer inner) : HtmlObjectRenderer<CodeBlock>
{
    protected override void Write(HtmlRenderer renderer, CodeBlock block)
    {
        var language = block is FencedCodeBlock { Info: { Length: > 0 } info } ? info : null;
        renderer.Write("<div class=\"chat-code\"><div class=\"chat-code-head\"><span class=\"chat-code-language\">");
        renderer.WriteEscape(language ?? "Code");
        renderer.Write("</span><button type=\"button\" class=\"chat-code-copy\" aria-label=\"");
        renderer.WriteEscape(language is null ? "Copy code" : $"Copy {language} code");
        renderer.Write("\">Copy</button></div>");
        ((IMarkdownObjectRenderer)inner).Write(renderer, block);
        renderer.Write("</div>");
    }
}
