using System.Text;

namespace BlazorJobs.Bench.Report;

/// <summary>A table printed to the console and written into docs/benchmarks.md, in the same Markdown.</summary>
public sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public MarkdownTable Row(params string[] cells)
    {
        _rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Select(r => i < r.Length ? r[i].Length : 0).DefaultIfEmpty(0).Max())).ToArray();
        var text = new StringBuilder();
        void Line(IReadOnlyList<string> cells) =>
            text.Append("| ").Append(string.Join(" | ", widths.Select((w, i) => (i < cells.Count ? cells[i] : "").PadRight(w)))).AppendLine(" |");
        Line(headers);
        text.Append("| ").Append(string.Join(" | ", widths.Select(w => new string('-', w)))).AppendLine(" |");
        foreach (var row in _rows)
        {
            Line(row);
        }
        return text.ToString();
    }
}

/// <summary>One line of the report's summary: a target of performance.md, the figure this run reached, and whether it is met.</summary>
/// <param name="Run">Null for this run; for a line kept from an earlier report, which run measured it.</param>
public sealed record TargetVerdict(string Target, string Reached, bool Met, string? Run = null);

/// <summary>One benchmark's part of the report: a heading, what was run, tables, and what the figures mean.</summary>
public sealed class ReportSection(string title)
{
    private readonly StringBuilder _body = new();
    private readonly List<TargetVerdict> _verdicts = [];

    public string Title => title;

    /// <summary>The target of performance.md, from the heading ("7. Live feed").</summary>
    public int Number => int.TryParse(title.Split('.', 2)[0], System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : int.MaxValue;

    /// <summary>Set on a section kept from an earlier report: which run measured it.</summary>
    public string? Run { get; private init; }

    /// <summary>A section of an earlier report, carried over word for word with its summary lines.</summary>
    public static ReportSection Kept(string title, string body, IEnumerable<TargetVerdict> verdicts, string run)
    {
        var section = new ReportSection(title) { Run = run };
        section._body.Append(body.TrimEnd()).AppendLine().AppendLine();
        section._verdicts.AddRange(verdicts);
        return section;
    }

    /// <summary>The section's targets, for the summary at the top of the report.</summary>
    public IReadOnlyList<TargetVerdict> Verdicts => _verdicts;

    public ReportSection Verdict(string target, string reached, bool met)
    {
        _verdicts.Add(new TargetVerdict(target, reached, met));
        return this;
    }

    public ReportSection Text(string paragraph)
    {
        _body.AppendLine(paragraph.Trim()).AppendLine();
        return this;
    }

    public ReportSection Table(string caption, MarkdownTable table)
    {
        _body.Append("**").Append(caption).AppendLine("**").AppendLine().Append(table).AppendLine();
        return this;
    }

    public override string ToString() => $"## {title}{Environment.NewLine}{Environment.NewLine}{_body}";
}
