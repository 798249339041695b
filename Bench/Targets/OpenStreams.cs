using BlazorJobs.Bench.Client;
using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;

namespace BlazorJobs.Bench.Targets;

/// <summary>Memory with this many idle streams open (after a forced GC).</summary>
internal sealed record StreamLevel(int Streams, MemorySample Memory);

/// <summary>The hold at the largest size: heartbeats, drops and idle CPU.</summary>
/// <param name="After">Memory read again after the hold (another forced GC): whether idle time gives memory back.</param>
/// <param name="Stalled">Streams silent longer than the client's limit (three heartbeats): a browser would have reconnected.</param>
internal sealed record StreamHold(int Streams, TimeSpan Held, long Heartbeats, int Late, int Stalled, TimeSpan LongestSilence, int Drops, TimeSpan Cpu, MemorySample After);

/// <summary>One kind of stream (or the bare floor) measured from zero to the largest size.</summary>
internal sealed record StreamKind(string Name, string GcMode, MemorySample Zero, List<StreamLevel> Levels, StreamHold Hold)
{
    public double RssPerStream(StreamLevel level) => (double)(level.Memory.RssBytes - Zero.RssBytes) / level.Streams;
    public double? HeapPerStream(StreamLevel level) => level.Memory.HeapBytes - Zero.HeapBytes is { } grown ? (double)grown / level.Streams : null;
}

/// <summary>
/// Target 4: idle streams on one instance. The same driver opens the same number of idle streams on the bare
/// Kestrel floor (<see cref="BareSse.BareSseServer"/>) and on the app (anonymous landing job streams, and live
/// feed streams), each in a fresh process, both in server GC; memory is read at 0 and at each size after a
/// forced full GC, then the largest size is held while heartbeats, drops and idle CPU are counted.
/// </summary>
public static class OpenStreams
{
    public const double HeartbeatSeconds = 5;
    /// <summary>A heartbeat later than this after the one before it counts as late: a beat plus scheduling on 2 shared cores.</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromSeconds(HeartbeatSeconds + 1.5);
    /// <summary>The client's own limit (StreamOptions.ClientSilenceLimitMilliseconds: three heartbeats).</summary>
    public static readonly TimeSpan ClientSilenceLimit = TimeSpan.FromSeconds(HeartbeatSeconds * 3);
    private const int WarmUpStreams = 100;
    private const string LearnerEmail = "learner@example.com";
    private const int OpenParallelism = 32;

    /// <summary>The app's own default (Sdk.Web: server GC, concurrent), set explicitly on both sides so neither can differ.</summary>
    public static readonly IReadOnlyDictionary<string, string> GcEnvironment = new Dictionary<string, string>
    {
        ["DOTNET_gcServer"] = "1",
        ["DOTNET_gcConcurrent"] = "1",
    };

    public static async Task<ReportSection> RunAsync(BenchContext context)
    {
        var kinds = new List<StreamKind> { await MeasureBareAsync(context) };
        if (context.Options.OpenStreamKinds.Contains("landing"))
        {
            kinds.Add(await MeasureAppAsync(context, "landing job streams (anonymous)", async (scenario, http, index, ct) =>
            {
                var visitor = scenario.Visitors[index % scenario.Visitors.Length];
                var job = await scenario.Client.EnqueueAsync(visitor, $"Idle question {index}", ct);
                return await IdleStream.OpenAsync(http, job.StreamUrl, r => r.Headers.TryAddWithoutValidation("Cookie", visitor.Cookie), ct);
            }));
        }
        if (context.Options.OpenStreamKinds.Contains("tutor"))
        {
            // One learner's bearer token for every stream (the per-caller limit is raised for the run), as a signed-in
            // learner's browser sends it: in the Authorization header, enqueue and stream alike.
            Task<string>? token = null;
            kinds.Add(await MeasureAppAsync(context, "tutor job streams (signed in, bearer)", async (scenario, http, index, ct) =>
            {
                var tutor = new TutorClient(http);
                var bearer = await LazyInitializer.EnsureInitialized(ref token, () => tutor.SignInAsync(LearnerEmail, ServerConfig.LearnerPassword, CancellationToken.None));
                var job = await tutor.EnqueueAsync(bearer, $"Idle question {index}", ct);
                return await IdleStream.OpenAsync(http, job.StreamUrl, r => r.Headers.Authorization = new("Bearer", bearer), ct);
            }));
        }
        if (context.Options.OpenStreamKinds.Contains("feed"))
        {
            kinds.Add(await MeasureAppAsync(context, "live feed streams (anonymous)", async (scenario, http, index, ct) =>
            {
                var visitor = scenario.Visitors[index % scenario.Visitors.Length];
                return await IdleStream.OpenAsync(http, "api/feed/stream?live=true", r => r.Headers.TryAddWithoutValidation("Cookie", visitor.Cookie), ct);
            }));
        }
        return OpenStreamsReport.Describe(kinds, context);
    }

    private static Dictionary<string, string> Environment(BenchContext context) =>
        GcEnvironment.Concat(context.Options.OpenStreamEnvironment).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    private static async Task<StreamKind> MeasureBareAsync(BenchContext context)
    {
        Progress.Line("target 4: the bare Kestrel SSE server");
        await using var bare = await BareSseProcess.StartAsync(HeartbeatSeconds, Environment(context));
        using var http = StreamClient(bare.BaseAddress);
        return await MeasureAsync(context, "bare Kestrel SSE (floor)", bare.GcMode, bare.Pid,
            (_, ct) => IdleStream.OpenAsync(http, "sse", _ => { }, ct), () => ProcessCpu.Sample(bare.Pid, null).Server);
    }

    private static async Task<StreamKind> MeasureAppAsync(BenchContext context, string name,
        Func<Scenario, HttpClient, int, CancellationToken, Task<IdleStream>> open)
    {
        var settings = new Dictionary<string, string>(Environment(context))
        {
            ["Streams__HeartbeatSeconds"] = HeartbeatSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        // The worker is off: every job stays PENDING, so its stream is idle for as long as it is held.
        var config = new ServerConfig($"idle streams: {name}", 60_000, 1, WorkerEnabled: false) { Settings = settings };
        await using var scenario = await Scenario.StartAsync(context, config, warmUp: true);
        using var http = StreamClient(scenario.Server.BaseAddress);
        return await MeasureAsync(context, name, "server (DOTNET_gcServer=1)", scenario.Server.Pid,
            (index, ct) => open(scenario, http, index, ct), () => scenario.Server.Cpu().Server);
    }

    private static async Task<StreamKind> MeasureAsync(BenchContext context, string name, string gcMode, int pid,
        Func<int, CancellationToken, Task<IdleStream>> open, Func<TimeSpan> cpu)
    {
        var options = context.Options;
        var folder = context.Workspace.Root;
        var streams = new List<IdleStream>();
        try
        {
            // The first streams pay for JIT, pools and caches that stay whatever the count: open and close some first.
            await IdleStreams.CloseAsync(await OpenAsync(open, 0, WarmUpStreams));
            var zero = await ProcessMemory.SampleAsync(pid, folder);
            Progress.Line($"  0 streams: {Format.Mib(zero.RssBytes)} RSS, {zero.Threads} threads");
            var levels = new List<StreamLevel>();
            foreach (var size in options.OpenStreamSizes)
            {
                streams.AddRange(await OpenAsync(open, streams.Count + WarmUpStreams, size - streams.Count));
                await Task.Delay(TimeSpan.FromSeconds(2));
                var memory = await ProcessMemory.SampleAsync(pid, folder);
                levels.Add(new StreamLevel(size, memory));
                Progress.Line($"  {size} streams: {Format.Mib(memory.RssBytes)} RSS, {(memory.RssBytes - zero.RssBytes) / 1024.0 / size:0.0} KiB per stream, {memory.Threads} threads");
            }

            Progress.Line($"  holding {streams.Count} streams for {options.OpenStreamHold.TotalSeconds:0} s");
            foreach (var stream in streams)
            {
                stream.ResetCounts();
            }
            var cpuBefore = cpu();
            await Task.Delay(options.OpenStreamHold);
            var held = new StreamHold(streams.Count, options.OpenStreamHold, streams.Sum(s => (long)s.Heartbeats),
                streams.Count(s => s.LongestSilenceUntilNow() > LateAfter), streams.Count(s => s.LongestSilenceUntilNow() > ClientSilenceLimit),
                streams.Max(s => s.LongestSilenceUntilNow()),
                streams.Count(s => s.Dropped), cpu() - cpuBefore, await ProcessMemory.SampleAsync(pid, folder));
            Progress.Line($"  {held.Heartbeats} heartbeats, {held.Late} streams with a late one ({held.Stalled} past the client's limit), {held.Drops} drops, {held.Cpu.TotalSeconds:0.0} CPU-s; then {Format.Mib(held.After.RssBytes)} RSS");
            return new StreamKind(name, gcMode, zero, levels, held);
        }
        finally
        {
            await IdleStreams.CloseAsync(streams);
        }
    }

    private static Task<List<IdleStream>> OpenAsync(Func<int, CancellationToken, Task<IdleStream>> open, int first, int count) =>
        IdleStreams.OpenAsync(Enumerable.Range(first, Math.Max(0, count)), OpenParallelism, open);

    private static HttpClient StreamClient(Uri baseAddress) => new(new SocketsHttpHandler
    {
        UseCookies = false,
        MaxConnectionsPerServer = int.MaxValue,
        ConnectTimeout = TimeSpan.FromSeconds(15),
    })
    { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
}
