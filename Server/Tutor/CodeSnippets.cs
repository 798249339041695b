using System.Text;
using System.Text.RegularExpressions;

namespace BlazorJobs.Server.Tutor;

/// <summary>
/// Code from the lessons (their inline <c>`code`</c> spans) shown as fenced blocks when a question asks
/// for code, in the language of the course it comes from, so the chat renders it as code.
/// </summary>
public static partial class CodeSnippets
{
    private const int MaxSnippets = 3;

    public static bool IsWanted(string question) => CodeQuestion().IsMatch(question);

    /// <summary>Fenced blocks for the code spans of the passages, sentences the answer quotes first; empty when none look like code.</summary>
    public static string Fenced(IReadOnlyList<Passage> lessonPassages)
    {
        var snippets = lessonPassages
            .SelectMany(p => p.BestSentences.Append(p.Text))
            .SelectMany(text => InlineCode().Matches(text).Select(m => m.Groups[1].Value.Trim()))
            .Where(LooksLikeCode)
            .Distinct(StringComparer.Ordinal)
            .Take(MaxSnippets)
            .ToList();
        if (snippets.Count == 0)
        {
            return "";
        }
        var course = lessonPassages[0].CourseSlug;
        var blocks = new StringBuilder();
        foreach (var group in snippets.GroupBy(s => LanguageOf(course, s)))
        {
            blocks.Append("```").Append(group.Key).Append('\n').AppendJoin('\n', group).Append("\n```\n\n");
        }
        return blocks.ToString().TrimEnd('\n');
    }

    /// <summary>A statement or declaration, not a bare name like <c>`var`</c> or <c>`IOptions&lt;T&gt;`</c> mentioned in prose.</summary>
    private static bool LooksLikeCode(string span) =>
        span.Length >= 8 && span.IndexOfAny(['(', ')', '{', '}', ';', '=', ':']) >= 0 && span.Contains(' ');

    private static string LanguageOf(string courseSlug, string snippet) => courseSlug switch
    {
        "html-css-foundations" => snippet.StartsWith('<') ? "html" : "css",
        "modern-javascript" => "js",
        "aspnet-core-web-apis" => "csharp",
        "postgresql-for-developers" => "sql",
        _ => "",
    };

    [GeneratedRegex(@"\b(code|example|examples|syntax|snippet|sample|show me|write|declare|implement|command|statement)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CodeQuestion();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex InlineCode();
}
