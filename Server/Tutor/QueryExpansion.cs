using System.Text;
using System.Text.RegularExpressions;

namespace BlazorJobs.Server.Tutor;

/// <summary>
/// Adds the words the course text uses for common shorthand, so "JS", "postgres" or "async" find
/// passages that say "JavaScript", "PostgreSQL" or "asynchronous". Stemming (PostgreSQL's english
/// configuration) handles the rest of the phrasing differences.
/// </summary>
public static partial class QueryExpansion
{
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["js"] = "javascript",
        ["ts"] = "typescript",
        ["postgres"] = "postgresql",
        ["pg"] = "postgresql",
        ["db"] = "database",
        ["async"] = "asynchronous await promise",
        ["await"] = "async asynchronous promise",
        ["flex"] = "flexbox",
        ["grid"] = "grid layout",
        ["css"] = "css stylesheet",
        ["api"] = "api endpoint",
        ["auth"] = "authentication",
        ["jwt"] = "jwt bearer token",
        ["di"] = "dependency injection",
        ["ioc"] = "dependency injection",
        ["sse"] = "server-sent events",
        ["ef"] = "entity framework",
        ["orm"] = "entity framework",
        ["fts"] = "full-text search",
        ["responsive"] = "responsive media queries",
        ["mobile"] = "responsive media queries viewport",
        ["phone"] = "responsive media queries viewport",
        ["a11y"] = "accessibility",
        ["screen"] = "screen reader",
        ["slow"] = "performance index",
        ["index"] = "index indexes b-tree",
        ["variables"] = "variable let const custom properties",
        ["loop"] = "loop iteration",
        ["centre"] = "center align",
        ["center"] = "center align",
    };

    public static string Expand(string question)
    {
        var expanded = new StringBuilder(question);
        foreach (Match word in WordPattern().Matches(question))
        {
            if (SynonymsOf(word.Value) is { } extra)
            {
                expanded.Append(' ').Append(extra);
            }
        }
        return expanded.ToString();
    }

    /// <summary>The extra words for a word or, failing that, for its singular ("phones" → "phone", "indexes" → "index").</summary>
    private static string? SynonymsOf(string word)
    {
        if (Synonyms.TryGetValue(word, out var extra))
        {
            return extra;
        }
        if (word.Length > 3 && word.EndsWith('s') && Synonyms.TryGetValue(word[..^1], out extra))
        {
            return extra;
        }
        return word.Length > 4 && word.EndsWith("es", StringComparison.OrdinalIgnoreCase) && Synonyms.TryGetValue(word[..^2], out extra) ? extra : null;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
