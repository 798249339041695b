using BlazorJobs.Bench.Client;
using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;

namespace BlazorJobs.Bench.Targets;

/// <summary>One reading of the server's memory, and how many of what were held at the time.</summary>
internal sealed record VisitorReading(string State, MemorySample Memory);

/// <summary>What target 8 measured in one server process.</summary>
/// <param name="Answered">The visitors have each asked a question and received its answer; nothing is held open (the early guide's state).</param>
/// <param name="Held">Each visitor also holds the caller's events stream (what the WebAssembly guide keeps open on "/").</param>
/// <param name="Circuits">Interactive Server circuits opened on top of the visitors.</param>
internal sealed record VisitorMemory(int Visitors, int CircuitCount, int PagesPerContext, string CircuitPath,
    VisitorReading Zero, VisitorReading Answered, VisitorReading Held, VisitorReading Circuits, long Errors)
{
    public static double Per(VisitorReading from, VisitorReading to, int count, Func<MemorySample, long?> figure) =>
        figure(to.Memory) - figure(from.Memory) is { } grown ? (double)grown / count : double.NaN;
}

/// <summary>
/// Target 8: what one chatting landing visitor costs the server, against one Interactive Server circuit in the same
/// process and run. Visitors talk to the landing API over HTTP as the early guide does (a <c>bj_visitor</c> cookie,
/// POST the question, the job's stream until <c>completed</c>), then hold the caller's events stream as the WebAssembly
/// guide does once it has taken over. Circuits are real: headless Chromium pages on the public Interactive Server page.
/// </summary>
public static class LandingVisitors
{
    /// <summary>The one public page with an Interactive Server root (FeedPage.razor: <c>FeedPageRoot @rendermode="InteractiveServer"</c>).</summary>
    public const string CircuitPath = "/feed";
    public const string EventsPath = "api/events";
    public const int PagesPerContext = 10;
    private const int WarmUpVisitors = 20, WarmUpCircuits = 2;
    private const int Parallelism = 16;
    /// <summary>Settles what the last requests left behind (pooled buffers returned, timers fired) before a reading.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public static async Task<ReportSection> RunAsync(BenchContext context)
    {
        var options = context.Options;
        // Short answers from 4 slots: the visitors' questions are answered in seconds, not queued behind each other for long.
        var config = new ServerConfig("landing visitors and circuits", JobDurationMs: 100, WorkerConcurrency: 4)
        {
            Settings = new Dictionary<string, string>(OpenStreams.GcEnvironment),
        };
        await using var scenario = await Scenario.StartAsync(context, config, warmUp: true);
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = int.MaxValue })
        {
            BaseAddress = scenario.Server.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        await using var circuits = await ServerCircuits.LaunchAsync(scenario.Server.BaseAddress);
        var pid = scenario.Server.Pid;
        var folder = context.Workspace.Root;
        var held = new List<IdleStream>();
        long errors = 0;
        try
        {
            // JIT, pools and the first render are paid once whatever the count: pay them before the 0 reading. The warm-up
            // pages stay open to the end: a closed page's circuit may be kept for minutes, and its release would blur a reading.
            var warmUp = await ChatAsync(scenario, WarmUpVisitors, () => Interlocked.Increment(ref errors));
            await IdleStreams.CloseAsync(await HoldEventsAsync(http, warmUp));
            await circuits.OpenAsync(CircuitPath, WarmUpCircuits, PagesPerContext);

            async Task<VisitorReading> ReadAsync(string state)
            {
                await Task.Delay(Settle);
                var reading = new VisitorReading(state, await ProcessMemory.SampleAsync(pid, folder));
                Progress.Line($"  {state}: {Format.Mib(reading.Memory.RssBytes)} RSS, heap {(reading.Memory.HeapBytes is { } h ? Format.Mib(h) : "–")}");
                return reading;
            }

            var zero = await ReadAsync("0 visitors");
            Progress.Line($"target 8: {options.LandingVisitors} visitors ask a question each and receive the answer");
            var visitors = await ChatAsync(scenario, options.LandingVisitors, () => Interlocked.Increment(ref errors));
            var answered = await ReadAsync($"{options.LandingVisitors} visitors answered, nothing held");
            held.AddRange(await HoldEventsAsync(http, visitors));
            var holding = await ReadAsync($"{options.LandingVisitors} visitors holding their events stream");

            Progress.Line($"target 8: opening {options.LandingCircuits} Interactive Server circuits ({CircuitPath}, {PagesPerContext} pages per browser context)");
            await circuits.OpenAsync(CircuitPath, options.LandingCircuits, PagesPerContext);
            var withCircuits = await ReadAsync($"+ {options.LandingCircuits} circuits");
            errors += held.Count(s => s.Dropped);
            return LandingVisitorsReport.Describe(new VisitorMemory(options.LandingVisitors, options.LandingCircuits, PagesPerContext, CircuitPath,
                zero, answered, holding, withCircuits, errors));
        }
        finally
        {
            await IdleStreams.CloseAsync(held);
        }
    }

    /// <summary>
    /// <paramref name="count"/> new visitors, each with its own cookie, ask one question and read its stream to the
    /// <c>completed</c> event, as the early guide does; the job stream then ends, as it does in the browser.
    /// </summary>
    private static async Task<List<Visitor>> ChatAsync(Scenario scenario, int count, Action error)
    {
        var visitors = Visitor.Many(count).ToList();
        await Parallel.ForEachAsync(visitors, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (visitor, ct) =>
        {
            var job = await scenario.Client.EnqueueAsync(visitor, "How do I centre an element with flexbox?", ct);
            await using var stream = await scenario.Client.OpenStreamAsync(visitor, job.StreamUrl, ct);
            if ((await stream.ReadToTerminalAsync(ct)).Terminal != "completed")
            {
                error();
            }
        });
        return visitors;
    }

    /// <summary>Each visitor's events stream (<c>/api/events</c>, by its cookie), which the WebAssembly guide follows its session in.</summary>
    private static Task<List<IdleStream>> HoldEventsAsync(HttpClient http, List<Visitor> visitors) =>
        IdleStreams.OpenAsync(visitors, Parallelism,
            (visitor, ct) => IdleStream.OpenAsync(http, EventsPath, r => r.Headers.TryAddWithoutValidation("Cookie", visitor.Cookie), ct));
}
