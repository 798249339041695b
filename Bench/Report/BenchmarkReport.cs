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

    public string Render(TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine("# Benchmarks").AppendLine();
        text.AppendLine("Figures for targets 1-3 of performance.md (the project's performance targets), measured by `Bench/`");
        text.AppendLine("against the real server's Release build on a private embedded PostgreSQL, over HTTP on loopback.");
        text.AppendLine("Each figure sits next to its baseline from the same run. Written by the benchmark itself: rerun it");
        text.AppendLine("rather than editing by hand.").AppendLine();
        text.AppendLine("| | |").AppendLine("|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| machine | {machine.Cores} cores ({machine.CpuModel}), {machine.Memory}, Linux {machine.Kernel} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| software | {machine.Runtime}, PostgreSQL {postgresVersion} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| commit | `{machine.Commit}` (plus any uncommitted changes in the working tree at the time) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| measured | {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, whole run {elapsed.TotalMinutes:0.0} min |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| load average (1/5/15 min) | {loadBefore} before the run, {MachineInfo.LoadAverage()} after it (other work on the machine competes for the same cores) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| reproduce | `{command}` |").AppendLine();
        text.AppendLine("Server, PostgreSQL and the load driver share the machine's cores, as performance.md says;");
        text.AppendLine("client and server share one clock, so latencies are stamped in the payload (`completedAt`).").AppendLine();
        var summary = new MarkdownTable("target (performance.md)", "reached in this run", "");
        foreach (var section in _sections)
        {
            foreach (var verdict in section.Verdicts)
            {
                summary.Row(verdict.Target, verdict.Reached, verdict.Met ? "met" : "**missed**");
            }
            if (section.Verdicts.Count == 0)
            {
                summary.Row(section.Title, "not measured (see its section)", "**missed**");
            }
        }
        text.AppendLine("## Summary").AppendLine().Append(summary).AppendLine();
        foreach (var section in _sections)
        {
            text.Append(section);
        }
        return text.ToString();
    }
}
