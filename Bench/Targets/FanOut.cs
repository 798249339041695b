using BlazorJobs.Bench.Database;
using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;

namespace BlazorJobs.Bench.Targets;

/// <summary>One fan-out load as measured over its window.</summary>
/// <param name="Part">"feed" (target 5a) or "answers" (5b).</param>
/// <param name="Size">Live feed streams open, or answers streaming at once.</param>
/// <param name="Produced">Activities inserted (feed) or notifying commits made (answers) in the window.</param>
/// <param name="Expected">Events the clients should have received for what was produced in the window.</param>
/// <param name="Delivered">Events they did receive (each counted once).</param>
/// <param name="Duplicates">Events received more than once.</param>
/// <param name="DroppedStreams">Streams the server ended (or that broke) while the driver held them.</param>
/// <param name="Cpu">Server process and PostgreSQL CPU over the window.</param>
/// <param name="DriverCpu">The load driver's own CPU over the window (it shares the cores).</param>
/// <param name="Floor">PostgreSQL's COMMIT → LISTEN floor in the same window, when measured.</param>
internal sealed record FanOutRow(string Part, int Size, long Produced, long Expected, long Delivered, long Duplicates, int DroppedStreams,
    LatencySummary Latency, CpuSample Cpu, TimeSpan DriverCpu, TimeSpan Window, LatencySummary? Floor, string Load)
{
    /// <summary>What the app's PostgreSQL sessions were doing over the window, when sampled.</summary>
    public WaitProfile? Waits { get; init; }

    public long Missed => Math.Max(0, Expected - Delivered);
    public double ProducedPerSecond => Produced / Window.TotalSeconds;
    public double EventsPerSecond => Delivered / Window.TotalSeconds;

    /// <summary>CPU-seconds per 1,000 events delivered: what performance.md asks to stay flat across sizes.</summary>
    public (double Server, double Postgres, double Driver) CpuPer1000 => Delivered == 0
        ? (double.NaN, double.NaN, double.NaN)
        : (Cpu.Server.TotalSeconds * 1000 / Delivered, Cpu.Postgres.TotalSeconds * 1000 / Delivered, DriverCpu.TotalSeconds * 1000 / Delivered);
}

/// <summary>
/// Target 5: fan-out. (a) Activities landing at a steady rate, each pushed to every open live feed stream;
/// (b) many answers streaming at once, a delta every 100 ms each. Each at its documented size and at one
/// tenth of it, so the cost per event is seen to stay flat, or not.
/// </summary>
public static class FanOut
{
    public static async Task<ReportSection> RunAsync(BenchContext context)
    {
        var rows = new List<FanOutRow>();
        rows.AddRange(await FeedFanOut.RunAsync(context));
        rows.AddRange(await AnswerFanOut.RunAsync(context));
        return FanOutReport.Describe(rows, context.Options);
    }

    /// <summary>The driver's own CPU so far: it shares the two cores with what it measures.</summary>
    internal static TimeSpan DriverCpu()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
