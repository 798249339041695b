using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;

namespace BlazorJobs.Bench.Targets;

/// <summary>
/// Target 2: what one delivered answer costs — HTTP requests, and CPU in the server and in
/// PostgreSQL — for SSE and for polling (every 1.5 s, and the contract's back-off), with many clients
/// waiting for long jobs; plus the poll endpoint's own throughput under <c>wrk</c>.
/// </summary>
public static class CostPerAnswer
{
    /// <summary>Headroom above the wave, so that a straggler of the previous wave never makes a job queue.</summary>
    private const int SpareSlots = 16;
    private const int MaxWorkerSlots = 256;
    private const int WarmUpJobs = 16;
    private const int WarmUpRounds = 2;

    public static async Task<ReportSection> RunAsync(BenchContext context)
    {
        var options = context.Options;
        var clients = Math.Min(options.CostClients, MaxWorkerSlots - SpareSlots);
        var config = new ServerConfig("cost per answer", options.CostJobMs, clients + SpareSlots);
        await using var scenario = await Scenario.StartAsync(context, config, warmUp: false);
        await WarmUpAsync(scenario, clients);
        var idle = await SettleAsync(scenario);

        var waves = new List<WaveResult>();
        // Enqueue-only first and last: whatever drift the run has (the JIT, the machine) cancels in their mean.
        foreach (var delivery in new[] { Delivery.None, Delivery.Sse, Delivery.PollEvery1500Ms, Delivery.PollContract, Delivery.None })
        {
            Progress.Line($"target 2: {clients} clients, {options.CostJobMs / 1000.0:0.#} s jobs, {delivery.Name}");
            var wave = await new Wave(scenario, clients, delivery).RunAsync();
            Progress.Line($"  {wave.Answered} answers, {wave.RequestsPerAnswer:0.00} requests/answer, {wave.NetPerAnswer(idle).Total.TotalMilliseconds:0.00} ms CPU/answer (net of idle), {wave.Errors} errors");
            waves.Add(wave);
        }

        var wrk = await RunWrkAsync(scenario, waves.First(w => w.Delivery == Delivery.Sse), options);
        return CostPerAnswerReport.Describe(waves, idle, wrk, clients, options);
    }

    /// <summary>
    /// Waits for the server to go quiet after the warm-up (the JIT recompiles hot methods in the
    /// background for a while), and returns what it and PostgreSQL then burn per second doing nothing:
    /// timers, the listener's keep-alive, PostgreSQL's background processes. Waves are charged net of it.
    /// </summary>
    private static async Task<CpuSample> SettleAsync(Scenario scenario)
    {
        var window = TimeSpan.FromSeconds(3);
        var idle = new CpuSample(TimeSpan.Zero, TimeSpan.Zero);
        for (var attempt = 0; attempt < 6; attempt++)
        {
            var before = scenario.Server.Cpu();
            await Task.Delay(window);
            idle = (scenario.Server.Cpu() - before) * (1 / window.TotalSeconds);
            if (idle.Server.TotalSeconds < 0.05)
            {
                break;
            }
        }
        Progress.Line($"target 2: idle {idle.Server.TotalMilliseconds:0} ms/s server, {idle.Postgres.TotalMilliseconds:0} ms/s PostgreSQL");
        return idle;
    }

    /// <summary>
    /// Unmeasured waves first, SSE and polling side by side, so that every path (enqueue, stream, poll,
    /// claim, completion) has been called often enough for the JIT's optimised tier to replace its first
    /// quick compilation: a server's steady state is what a figure per answer should describe. (The quick
    /// warm-up with cancelled jobs is not used here: a cancelled job holds its worker slot until its next
    /// lease renewal, up to 10 s, and these waves need every slot.)
    /// </summary>
    private static async Task WarmUpAsync(Scenario scenario, int clients)
    {
        var each = Math.Max(WarmUpJobs, clients / 2);
        for (var round = 1; round <= WarmUpRounds; round++)
        {
            Progress.Line($"target 2: warm-up {round}/{WarmUpRounds}, {each} clients on SSE and {each} polling, unmeasured");
            await Task.WhenAll(new Wave(scenario, each, Delivery.Sse).RunAsync(), new Wave(scenario, each, Delivery.PollContract).RunAsync());
        }
    }

    /// <summary>The poll endpoint of a finished job, as a polling browser would hit it: plain, then with a matching ETag.</summary>
    private static async Task<(WrkResult Plain, WrkResult NotModified)> RunWrkAsync(Scenario scenario, WaveResult sse, BenchOptions options)
    {
        if (sse.Enqueued.Count == 0)
        {
            var none = new WrkResult(double.NaN, double.NaN, double.NaN, double.NaN, 0, 0, "not run: the SSE wave enqueued no job");
            return (none, none);
        }
        var (visitor, job) = sse.Enqueued[0];
        var first = await scenario.Client.PollAsync(visitor, job.PollUrl, null, CancellationToken.None);
        var url = new Uri(scenario.Server.BaseAddress, job.PollUrl.TrimStart('/'));
        Progress.Line($"target 2: wrk, {options.WrkConnections} connections, {options.WrkDuration.TotalSeconds:0} s, GET {job.PollUrl}");
        var plain = await Wrk.RunAsync(url, new Dictionary<string, string> { ["Cookie"] = visitor.Cookie }, options.WrkConnections, options.WrkDuration);
        var notModified = await Wrk.RunAsync(url, new Dictionary<string, string> { ["Cookie"] = visitor.Cookie, ["If-None-Match"] = first.ETag ?? "" },
            options.WrkConnections, options.WrkDuration);
        Progress.Line($"  {plain.RequestsPerSecond:0} req/s (p99 {Format.Ms(plain.P99Ms)} ms); with If-None-Match {notModified.RequestsPerSecond:0} req/s (p99 {Format.Ms(notModified.P99Ms)} ms)");
        return (plain, notModified);
    }
}
