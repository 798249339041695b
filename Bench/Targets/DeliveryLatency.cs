using BlazorJobs.Bench.Client;
using BlazorJobs.Bench.Database;
using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;

namespace BlazorJobs.Bench.Targets;

/// <summary>One closed loop of target 1, with what was measured beside it.</summary>
/// <param name="Floor">COMMIT → LISTEN in the same window (SSE rows only).</param>
/// <param name="ServerSideMeanMs">The server's own mean from completedAt to the terminal event written (its /metrics).</param>
/// <param name="AppCompletions">The app's own <c>completed</c> notifications: completedAt → heard by a LISTEN connection (SSE rows only).</param>
internal sealed record LatencyRow(ClosedLoopResult Loop, LatencySummary? Floor, double ServerSideMeanMs, LatencySummary? AppCompletions = null);

/// <summary>
/// Target 1: how long after the worker's COMMIT (<c>completedAt</c>) a waiting client holds the
/// <c>completed</c> event, with many streams open and jobs completing at a steady rate; against
/// clients polling every 1.5 s in the same run.
/// </summary>
public static class DeliveryLatency
{
    public const int JobDurationMs = 1_000;

    public static async Task<ReportSection> RunAsync(BenchContext context)
    {
        var options = context.Options;
        // slots / duration = completions per second: 50 slots of 1 s jobs answer 50 questions a second.
        var slots = options.CompletionsPerSecond * JobDurationMs / 1_000;
        await using var scenario = await Scenario.StartAsync(context, new ServerConfig("delivery latency", JobDurationMs, slots), warmUp: true);
        using var metrics = new MetricsScraper(scenario.Server.BaseAddress);

        var rows = new List<LatencyRow>();
        foreach (var size in options.LatencySizes)
        {
            rows.Add(await RunLoopAsync(scenario, metrics, size, Delivery.Sse, slots, options));
            if (size <= options.MaxPollers)
            {
                rows.Add(await RunLoopAsync(scenario, metrics, size, Delivery.PollEvery1500Ms with { RandomPhase = true }, slots, options));
            }
        }
        return DeliveryLatencyReport.Describe(rows, options, slots);
    }

    private static async Task<LatencyRow> RunLoopAsync(Scenario scenario, MetricsScraper metrics, int size, Delivery delivery, int slots, BenchOptions options)
    {
        Progress.Line($"target 1: {size} clients, {delivery.Name}: filling, {options.LatencyWarmup.TotalSeconds:0} s warm-up, {options.LatencyWindow.TotalSeconds:0} s measured");
        await using var floor = delivery.IsPolling ? null : await CommitNotifyFloor.OpenAsync(scenario.Probe.ConnectionString);
        MetricsScraper.Reading before = default, after = default;
        LatencySummary? floorLatency = null, appCompletions = null;
        var hooks = new WindowHooks(
            Opened: async () =>
            {
                floor?.Start();
                before = await metrics.ReadAsync();
            },
            Closed: async () =>
            {
                after = await metrics.ReadAsync();
                if (floor is not null)
                {
                    (floorLatency, appCompletions) = await floor.StopAsync();
                }
            });

        var loop = new ClosedLoop(scenario.Client, scenario.Visitors, size, delivery, slots, scenario.Server.Cpu);
        var result = await loop.RunAsync(options.LatencyWarmup, options.LatencyWindow, hooks);
        var row = new LatencyRow(result, floorLatency, delivery.IsPolling ? double.NaN : MetricsScraper.Reading.MeanMs(before, after), appCompletions);
        Progress.Line($"  p50 {Format.Ms(result.Latency.P50)} ms, p99 {Format.Ms(result.Latency.P99)} ms, {result.CompletionsPerSecond:0.0} completions/s, " +
            $"{result.MeanWaiting:0} waiting, {result.Errors} errors" +
            (floorLatency is { } f ? $"; COMMIT → LISTEN floor p50 {Format.Ms(f.P50)} ms, p99 {Format.Ms(f.P99)} ms; server-side mean {Format.Ms(row.ServerSideMeanMs)} ms" : "") +
            (appCompletions is { Count: > 0 } a ? $"; the app's completed heard on LISTEN p50 {Format.Ms(a.P50)} ms" : ""));
        return row;
    }
}
