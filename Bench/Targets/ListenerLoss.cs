using BlazorJobs.Bench.Client;
using BlazorJobs.Bench.Database;
using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;

namespace BlazorJobs.Bench.Targets;

/// <summary>
/// Target 9: the server's LISTEN connection is terminated (<c>pg_terminate_backend</c>) in the middle of target 1's
/// load; every job's <c>completed</c> must still reach its stream exactly once, LISTEN must be back within 2 s, and the
/// p99 of each second's deliveries back inside target 1's 10 ms within 5 s. The baseline is the same run, on the same
/// server, without the fault.
/// </summary>
public static class ListenerLoss
{
    public static async Task<ReportSection> RunAsync(BenchContext context)
    {
        var options = context.Options;
        // Target 1's pacing: slots / job duration = completions per second.
        var slots = options.CompletionsPerSecond * DeliveryLatency.JobDurationMs / 1_000;
        await using var scenario = await Scenario.StartAsync(context, new ServerConfig("listener loss", DeliveryLatency.JobDurationMs, slots), warmUp: true);
        using var streams = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            MaxConnectionsPerServer = int.MaxValue,
            ConnectTimeout = TimeSpan.FromSeconds(15),
        })
        { BaseAddress = scenario.Server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var fault = new ListenerFault(scenario.Probe.ConnectionString);

        var runs = new List<LossRun>();
        foreach (var (name, withFault) in new[] { ("baseline (no fault)", false), ("listener terminated", true) })
        {
            Progress.Line($"target 9: {options.ListenerLossStreams} streams, {name}: filling, {options.LatencyWarmup.TotalSeconds:0} s warm-up, " +
                $"{options.ListenerLossWindow.TotalSeconds:0} s measured{(withFault ? $", the fault {options.ListenerLossFaultAt.TotalSeconds:0} s in" : "")}, then the drain");
            var loop = new ListenerLossLoop(scenario.Client, streams, scenario.Visitors, options.ListenerLossStreams, slots, scenario.Probe);
            var run = await loop.RunAsync(name, options.LatencyWarmup, options.ListenerLossWindow, options.ListenerLossFaultAt, fault, withFault);
            runs.Add(run);
            Progress.Line($"  {run.Deliveries.Count} jobs delivered, {run.Lost} lost, {run.DuplicatedCompleted} with a second completed, {run.RepeatedEvents} repeated events, " +
                $"{run.Reconnected} streams resumed, {run.Errors} errors; window p50 {Format.Ms(run.Latency.P50)} ms, p99 {Format.Ms(run.Latency.P99)} ms");
        }
        return ListenerLossReport.Describe(runs[0], runs[1], options, slots, context);
    }
}
