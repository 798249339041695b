using System.Text;
using System.Text.RegularExpressions;

namespace BlazorJobs.App.Client.Chat;

/// <summary>
/// An answer that is still growing (or was stopped) ends mid-construct: <c>**bol</c>, <c>`cod</c>,
/// an unclosed code fence, <c>[link](http</c>. Rendered as it is, the reader sees raw markers that
/// only turn into formatting when the closing half arrives. This closes what is open at the end, and
/// drops a fragment that cannot show as anything yet (a lone opening marker, half a link target), so
/// the partial answer renders as the finished one will, only shorter.
/// </summary>
public static partial class PartialMarkdown
{
    public static string Complete(string markdown)
    {
        if (string.IsNullOrEmpty(markdown))
        {
            return markdown;
        }
        var (fence, tailStart) = FindOpenFence(markdown);
        if (fence is not null)
        {
            // Inside a code block everything is literal: only the fence needs closing.
            return markdown.EndsWith('\n') ? markdown + fence : markdown + "\n" + fence;
        }
        var head = markdown[..tailStart];
        var tail = markdown[tailStart..];
        return head + CloseInlines(DropHalfLink(tail));
    }

    /// <summary>
    /// The fence still open at the end (null if none), and where the last paragraph starts: inline
    /// constructs never cross a blank line or a fence, so only that paragraph can hold an open one.
    /// </summary>
    private static (string? OpenFence, int TailStart) FindOpenFence(string markdown)
    {
        string? open = null;
        var tailStart = 0;
        var position = 0;
        foreach (var line in markdown.Split('\n'))
        {
            var next = position + line.Length + 1;
            var match = FenceLine().Match(line);
            if (open is null && match.Success)
            {
                open = match.Groups["fence"].Value;
            }
            else if (open is not null && match.Success && match.Groups["fence"].Value.StartsWith(open, StringComparison.Ordinal)
                     && match.Groups["info"].Value.Trim().Length == 0)
            {
                open = null;
                tailStart = Math.Min(next, markdown.Length);
            }
            else if (open is null && line.Trim().Length == 0)
            {
                tailStart = Math.Min(next, markdown.Length);
            }
            position = next;
        }
        return (open, tailStart);
    }

    /// <summary><c>[text](http://exa</c> shows as <c>text</c> until its target is complete; a lone <c>[text</c> as <c>text</c>.</summary>
    private static string DropHalfLink(string tail)
    {
        var halfTarget = HalfLinkTarget().Match(tail);
        if (halfTarget.Success)
        {
            return tail[..halfTarget.Index] + halfTarget.Groups["text"].Value;
        }
        var halfText = HalfLinkText().Match(tail);
        return halfText.Success ? tail[..halfText.Index] + (halfText.Groups["image"].Success ? "" : halfText.Groups["text"].Value) : tail;
    }

    /// <summary>
    /// Closes inline code, <c>**</c>, <c>~~</c> and <c>*</c> left open, innermost first. An opening
    /// marker with nothing after it yet is dropped rather than closed (it would render as literal text).
    /// </summary>
    private static string CloseInlines(string tail)
    {
        var open = new Stack<(string Marker, int Index)>();
        var i = 0;
        while (i < tail.Length)
        {
            if (tail[i] == '\\')
            {
                i += 2;
                continue;
            }
            if (tail[i] == '`')
            {
                var run = RunLength(tail, i, '`');
                var close = tail.IndexOf(new string('`', run), i + run, StringComparison.Ordinal);
                if (close < 0)
                {
                    open.Push((new string('`', run), i));
                    break; // everything after an open code span is literal
                }
                i = close + run;
                continue;
            }
            var marker = tail[i] == '*' ? (RunLength(tail, i, '*') >= 2 ? "**" : "*")
                : tail[i] == '~' && RunLength(tail, i, '~') >= 2 ? "~~" : null;
            if (marker is null)
            {
                i++;
                continue;
            }
            var after = i + marker.Length < tail.Length ? tail[i + marker.Length] : '\0';
            var before = i > 0 ? tail[i - 1] : ' ';
            if (open.Count > 0 && open.Peek().Marker == marker && !char.IsWhiteSpace(before))
            {
                open.Pop();
            }
            else if (!char.IsWhiteSpace(after) && !IsListBullet(tail, i, marker))
            {
                open.Push((marker, i));
            }
            i += marker.Length;
        }

        var text = new StringBuilder(tail);
        var closers = new StringBuilder();
        foreach (var (marker, index) in open)
        {
            if (text.ToString(index + marker.Length, text.Length - index - marker.Length).Trim().Length == 0)
            {
                text.Remove(index, text.Length - index); // nothing inside yet: drop the marker
                closers.Clear();
                continue;
            }
            closers.Append(marker);
        }
        var body = text.ToString();
        if (closers.Length == 0)
        {
            return body;
        }
        // A closing delimiter right after whitespace would not close: closers go after the last word.
        var trimmed = body.TrimEnd();
        return trimmed + closers + body[trimmed.Length..];
    }

    private static bool IsListBullet(string text, int index, string marker)
    {
        if (marker != "*")
        {
            return false;
        }
        var lineStart = text.LastIndexOf('\n', Math.Max(index - 1, 0)) + 1;
        return text[lineStart..index].Trim().Length == 0 && (index + 1 >= text.Length || text[index + 1] == ' ');
    }

    private static int RunLength(string text, int start, char c)
    {
        var end = start;
        while (end < text.Length && text[end] == c)
        {
            end++;
        }
        return end - start;
    }

    [GeneratedRegex(@"^ {0,3}(?<fence>`{3,}|~{3,})(?<info>[^`]*)$")]
    private static partial Regex FenceLine();

    [GeneratedRegex(@"!?\[(?<text>[^\]\n]*)\]\([^)\n]*$")]
    private static partial Regex HalfLinkTarget();

    [GeneratedRegex(@"(?<image>!)?\[(?<text>[^\]\n]*)$")]
    private static partial Regex HalfLinkText();
}
