using System.Text.RegularExpressions;

namespace BlazorJobs.Server.Tutor;

/// <summary>
/// The words inside code identifiers: lessons write <c>setTimeout</c> and <c>AbortController</c>, learners
/// ask about "timeouts" and "aborting". Each part is indexed at the identifier's own word position, so
/// positions still count words the way <see cref="QuestionConcepts.WordPattern"/> does. Only words inside
/// code spans (backticks) are split: in prose a camel-cased word is a name ("JavaScript", "PostgreSQL")
/// whose parts would only add noise ("script" matching every JavaScript paragraph).
/// </summary>
public static partial class IdentifierParts
{
    /// <summary>The lower-cased parts of every camelCase or PascalCase word in code, with the word's position (1-based).</summary>
    public static IEnumerable<(int Position, string Part)> Find(string text)
    {
        var code = CodeSpan().Matches(text).Select(m => (Start: m.Index, End: m.Index + m.Length)).ToList();
        var position = 0;
        foreach (Match word in QuestionConcepts.WordPattern().Matches(text))
        {
            position++;
            if (!CaseChange().IsMatch(word.Value) || !code.Any(span => word.Index >= span.Start && word.Index < span.End))
            {
                continue;
            }
            foreach (var part in PartBoundary().Split(word.Value))
            {
                if (part.Length >= 2)
                {
                    yield return (position, part.ToLowerInvariant());
                }
            }
        }
    }

    [GeneratedRegex("`[^`]+`")]
    private static partial Regex CodeSpan();

    // A lower-case letter followed by an upper-case one: "setTimeout", "FluentValidation", not "HTML" or "Hello".
    [GeneratedRegex(@"\p{Ll}\p{Lu}")]
    private static partial Regex CaseChange();

    // Between a lower-case letter or digit and an upper-case one, and before the capital that starts a word
    // after an acronym ("parseJSONBody" → parse, JSON, Body).
    [GeneratedRegex(@"(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})")]
    private static partial Regex PartBoundary();
}
