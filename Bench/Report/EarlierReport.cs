using System.Text.RegularExpressions;

namespace BlazorJobs.Bench.Report;

/// <summary>
/// Keeps what a run did not measure. The report is one file written whole by each run, and a run of some
/// targets (<c>--targets 7</c>) would otherwise erase the others' figures. Merging at the level of whole
/// sections keeps each figure next to its own description and baseline, exactly as its run wrote them, and
/// marks where it came from (its run's date, commit and command) rather than passing it off as this
/// run's: the section gets a line saying so and its summary lines a "measured" cell. Hand-editing or a
/// second file would split one report into pieces that drift apart.
/// </summary>
public static partial class EarlierReport
{
    private const string KeptMarker = "_Kept from an earlier run";

    /// <summary>The sections of the report at <paramref name="path"/> for targets not in <paramref name="measured"/>, with their summary lines.</summary>
    public static IReadOnlyList<ReportSection> KeptSections(string path, IReadOnlySet<int> measured)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        var header = HeaderValue(text, "measured") is { } when ? when.Split(',')[0].Trim() : "an earlier run";
        var commit = HeaderValue(text, "commit") is { } c && Backticked().Match(c) is { Success: true } m ? m.Value : "an unknown commit";
        var command = HeaderValue(text, "reproduce")?.Trim() ?? "";
        var run = $"{header}, {commit}";

        var chunks = Regex.Split(text, @"^## ", RegexOptions.Multiline);
        var summary = chunks.FirstOrDefault(ch => ch.StartsWith("Summary\n", StringComparison.Ordinal)) ?? "";
        var kept = new List<ReportSection>();
        foreach (var chunk in chunks.Skip(1).Where(ch => TargetHeading().IsMatch(ch)))
        {
            var title = chunk[..chunk.IndexOf('\n')].Trim();
            var number = int.Parse(TargetHeading().Match(chunk).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (measured.Contains(number))
            {
                continue;
            }
            var body = chunk[(chunk.IndexOf('\n') + 1)..].Trim('\n');
            // Kept once already: its first line names the run that measured it, which stays its provenance.
            var sectionRun = run;
            if (body.StartsWith(KeptMarker, StringComparison.Ordinal))
            {
                sectionRun = SummaryLines(summary, number).Select(v => v.Run).FirstOrDefault(r => r is not null) ?? run;
            }
            else
            {
                body = $"{KeptMarker} (measured {header} at commit {commit}{(command.Length > 0 ? $", {command}" : "")}): the latest run did not measure target {number}._\n\n{body}";
            }
            var verdicts = SummaryLines(summary, number).Select(v => v with { Run = v.Run ?? sectionRun });
            kept.Add(ReportSection.Kept(title, body, verdicts, sectionRun));
        }
        return kept;
    }

    /// <summary>
    /// The summary table's lines for one target ("| 3: … | … | met |", and a fourth "measured" cell once kept), including
    /// its lettered parts ("| 5a: …") and lines that qualify the number ("| 11 (beside 5b): …").
    /// </summary>
    private static IEnumerable<TargetVerdict> SummaryLines(string summary, int number)
    {
        var ofTarget = new Regex($@"^\| {number}[a-z]?(:| \()");
        foreach (var line in summary.Split('\n').Where(l => ofTarget.IsMatch(l)))
        {
            var cells = CellSeparator().Split(line.Trim().Trim('|')).Select(cell => cell.Trim()).ToArray();
            if (cells.Length >= 3)
            {
                yield return new TargetVerdict(cells[0], cells[1], cells[2] == "met", cells.Length > 3 && cells[3] != "this run" ? cells[3] : null);
            }
        }
    }

    /// <summary>A value of the header table ("| measured | 2026-11-24 03:02 UTC, whole run 6.0 min |").</summary>
    private static string? HeaderValue(string text, string key) =>
        text.Split('\n').FirstOrDefault(l => l.StartsWith($"| {key} |", StringComparison.Ordinal)) is { } line
            ? line[$"| {key} |".Length..].TrimEnd().TrimEnd('|').Trim()
            : null;

    [GeneratedRegex(@"^(\d+)\. ")]
    private static partial Regex TargetHeading();

    [GeneratedRegex("`[^`]+`")]
    private static partial Regex Backticked();

    /// <summary>A table cell boundary: a pipe not escaped as <c>\|</c>.</summary>
    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex CellSeparator();
}
