using System.Text.RegularExpressions;

namespace BlazorJobs.Server.Tutor;

/// <summary>
/// Operators and keywords learners ask about by their spelling ("== vs ===", "is !important bad",
/// "for...of or for...in"), which word splitting would lose: punctuation is dropped, "important" stems to
/// "import" (the ES modules lesson), and "for", "of", "in" are stop words. Each is indexed in lessons and
/// read in questions as a stem of its own, which no English word stems to (they contain '_').
/// </summary>
public static partial class CodeSymbols
{
    private static readonly IReadOnlyDictionary<string, string> Stems = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["==="] = "op_strict_equal", ["!=="] = "op_strict_not_equal", ["=="] = "op_loose_equal", ["!="] = "op_loose_not_equal",
        ["!important"] = "op_important", ["for...of"] = "op_for_of", ["for...in"] = "op_for_in",
    };

    /// <summary>Each symbol's stem with the position of the next word the index counts from its start ("for" of "for...of", "b" of "a === b").</summary>
    public static IEnumerable<(int Position, string Stem)> Find(string text)
    {
        foreach (Match symbol in Symbol().Matches(text))
        {
            var wordsBefore = QuestionConcepts.WordPattern().Count(text[..symbol.Index]);
            yield return (wordsBefore + 1, Stems[symbol.Value]);
        }
    }

    /// <summary>The stems of the symbols a question names, and the question without them.</summary>
    public static (IReadOnlyList<string> Stems, string Remainder) Read(string question) =>
        (Symbol().Matches(question).Select(m => Stems[m.Value]).Distinct().ToList(), Symbol().Replace(question, " "));

    // Longest spelling first, so "===" is not read as "==" and "for...of" keeps its keyword.
    [GeneratedRegex(@"!==|===|!=|==|!important\b|\bfor\s*\.\.\.\s*of\b|\bfor\s*\.\.\.\s*in\b", RegexOptions.IgnoreCase)]
    private static partial Regex Symbol();
}
