using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;

namespace BlazorJobs.Bench.Targets;

/// <summary>Target 10's section of docs/benchmarks.md.</summary>
internal static class LandingFirstUseReport
{
    private const double UsableWithinMs = 300;
    private const double PublishedBytesBudget = 300 * 1024;

    public static ReportSection Describe(IReadOnlyList<FirstUseBuild> builds, int visits)
    {
        var table = new MarkdownTable("build", "visits", "DOMContentLoaded ms (p50 / max)", "usable after DOMContentLoaded ms (p50 / max)",
            "KB before usable (p50 / max)", "requests before usable", "answered");
        var section = new ReportSection("10. The landing guide's first use");
        foreach (var build in builds)
        {
            if (build.NotMeasured is not null)
            {
                table.Row(build.Name, "0", "–", "–", "–", "–", $"not measured: {build.NotMeasured}");
                section.Verdict($"10: {build.Name}: input enabled ≤ 300 ms after DOMContentLoaded", "not measured", met: false);
                continue;
            }
            var dcl = LatencySummary.Of(build.Visits.Select(v => TimeSpan.FromMilliseconds(v.DomContentLoadedMs)));
            var usable = LatencySummary.Of(build.Visits.Select(v => TimeSpan.FromMilliseconds(v.AfterDomContentLoadedMs)));
            var bytes = build.Visits.Select(v => v.BytesBeforeUsable).Order().ToList();
            var answered = build.Visits.Count(v => v.Answered);
            table.Row(build.Name, Format.Int(build.Visits.Count), $"{Format.Ms(dcl.P50)} / {Format.Ms(dcl.Max)}", $"{Format.Ms(usable.P50)} / {Format.Ms(usable.Max)}",
                $"{Kb(bytes[bytes.Count / 2])} / {Kb(bytes[^1])}", string.Join(" / ", build.Visits.Select(v => v.RequestsBeforeUsable).Distinct().Order()),
                $"{answered} of {build.Visits.Count}");
            section.Verdict($"10: {build.Name}: input enabled ≤ 300 ms after DOMContentLoaded, question answered",
                $"max {Format.Ms(usable.Max)} ms; answered {answered} of {build.Visits.Count}", usable.Max <= UsableWithinMs && answered == build.Visits.Count);
            if (build.Name.StartsWith("published", StringComparison.Ordinal))
            {
                section.Verdict("10: published: ≤ 300 KB transferred before usable", $"max {Kb(bytes[^1])} KB", bytes[^1] <= PublishedBytesBudget);
            }
        }
        return section
            .Text($"""
                Each visit opens `/` in a fresh headless Chromium context (an empty cache: a first visit), {visits} visits per
                build after one uncounted visit (the server's own first-request costs). "Usable" is the moment the guide's
                question box is first enabled, noted by a script the benchmark injects before the page's own; the baseline is
                the page's own `DOMContentLoaded` in the same load. The bytes are Resource Timing's `transferSize` (headers
                and encoded bodies) of the page and of every request it had started by then, counted whole even if it
                finished later (an upper bound). Then the visit sends a question and waits for the answer: "answered" counts
                the visits whose answer completed. The default run is what `dotnet run --project Server` serves (a Debug
                build in Development, where MudBlazor's stylesheet still arrives uncompressed, ~630 KB of its bytes); the published build is `dotnet publish -c Release`
                in Production.
                """)
            .Table("The guide's first use, per build", table);
    }

    private static string Kb(long bytes) => Format.Number(bytes / 1024.0, "0");
}
