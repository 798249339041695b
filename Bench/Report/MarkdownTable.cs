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

/// <summary>One benchmark's part of the report: a heading, what was run, tables, and what the figures mean.</summary>
public sealed class ReportSection(string title)
{
    private readonly StringBuilder _body = new();

    public string Title => title;

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
