using System.Globalization;
using System.Text;

namespace BlazorJobs.Bench.Report;

/// <summary>docs/benchmarks.md: the machine, the commit, the command, then one section per benchmark.</summary>
public sealed class BenchmarkReport(MachineInfo machine, string command, string postgresVersion, string loadBefore)
{
    private readonly List<ReportSection> _sections = [];

    public void Add(ReportSection section)
    {
        _sections.Add(section);
        Console.WriteLine();
        Console.WriteLine(section);
    }

    /// <summary>A section of an earlier report (not printed again: this run did not measure it).</summary>
    public void Keep(ReportSection section) => _sections.Add(section);

    public string Render(TimeSpan elapsed)
    {
        var sections = _sections.OrderBy(s => s.Number).ToList();
        var fresh = sections.Where(s => s.Run is null).Select(s => s.Number.ToString(CultureInfo.InvariantCulture)).ToList();
        var kept = sections.Where(s => s.Run is not null).Select(s => s.Number.ToString(CultureInfo.InvariantCulture)).ToList();
        var text = new StringBuilder();
        text.AppendLine("# Benchmarks").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Figures for targets {string.Join(", ", sections.Select(s => s.Number))} of performance.md (the project's performance targets), measured by `Bench/`");
        text.AppendLine("against the real server's Release build on a private embedded PostgreSQL, over HTTP on loopback.");
        text.AppendLine("Each figure sits next to its baseline from the same run. Written by the benchmark itself: rerun it");
        text.AppendLine("rather than editing by hand.").AppendLine();
        text.AppendLine("| | |").AppendLine("|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| machine | {machine.Cores} cores ({machine.CpuModel}), {machine.Memory}, Linux {machine.Kernel} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| software | {machine.Runtime}, PostgreSQL {postgresVersion} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| commit | `{machine.Commit}` (plus any uncommitted changes in the working tree at the time) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| measured | {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, whole run {elapsed.TotalMinutes:0.0} min |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| load average (1/5/15 min) | {loadBefore} before the run, {MachineInfo.LoadAverage()} after it (other work on the machine competes for the same cores) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| reproduce | `{command}` |");
        var keptNote = kept.Count > 0 ? $"; {string.Join(", ", kept)} kept from earlier runs (their sections and summary lines say which)" : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"| targets | {(fresh.Count > 0 ? string.Join(", ", fresh) : "none")} measured in this run{keptNote} |").AppendLine();
        text.AppendLine("Server, PostgreSQL and the load driver share the machine's cores, as performance.md says;");
        text.AppendLine("client and server share one clock, so latencies are stamped in the payload (`completedAt`).").AppendLine();
        var summary = new MarkdownTable("target (performance.md)", "reached", "", "measured");
        foreach (var section in sections)
        {
            foreach (var verdict in section.Verdicts)
            {
                summary.Row(verdict.Target, verdict.Reached, verdict.Met ? "met" : "**missed**", verdict.Run ?? "this run");
            }
            if (section.Verdicts.Count == 0)
            {
                summary.Row(section.Title, "not measured (see its section)", "**missed**", section.Run ?? "this run");
            }
        }
        text.AppendLine("## Summary").AppendLine().Append(summary).AppendLine();
        foreach (var section in sections)
        {
            text.Append(section);
        }
        return text.ToString();
    }
}
