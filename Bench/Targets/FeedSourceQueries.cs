using System.Text.RegularExpressions;
using BlazorJobs.Bench.Database;

namespace BlazorJobs.Bench.Targets;

/// <summary>
/// Recognises the feed's page queries among what <c>pg_stat_statements</c> counted: a source query
/// selects <c>'type:' || key</c> (normalised to <c>SELECT $n ||</c>, numbered after the query's own
/// parameters) and ends in ORDER BY … LIMIT; the
/// live push's look-ups by key (<c>= ANY(…)</c>) are not page queries. Each source reads its own first
/// table, so calls per first table are calls per source, and one "set" is one call of every source.
/// </summary>
internal static partial class FeedSourceQueries
{
    public static IReadOnlyDictionary<string, long> CallsBySource(IReadOnlyList<StatementCount> statements) =>
        statements
            .Where(s => SelectsTypedKey().IsMatch(s.Query)
                && s.Query.Contains("ORDER BY", StringComparison.Ordinal) && s.Query.Contains("LIMIT", StringComparison.Ordinal)
                && !s.Query.Contains("ANY(", StringComparison.Ordinal) && !s.Query.Contains("bench", StringComparison.Ordinal))
            .GroupBy(s => FirstTable().Match(s.Query) is { Success: true } m ? m.Groups[1].Value : "?")
            .ToDictionary(g => g.Key, g => g.Sum(s => s.Calls));

    [GeneratedRegex(@"^\s*SELECT \$\d+ \|\|")]
    private static partial Regex SelectsTypedKey();

    [GeneratedRegex(@"\bFROM\s+(\w+)")]
    private static partial Regex FirstTable();
}
