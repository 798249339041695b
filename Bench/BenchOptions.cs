using System.Globalization;

namespace BlazorJobs.Bench;

/// <summary>
/// Sizes and durations of one run. The defaults are the documented run (docs/benchmarks.md), sized so
/// the whole run stays around 10 minutes for targets 1-3 on the 2-core reference machine, plus 10-15 for target 6, 2-3 for target 7,
/// about 3 for target 5, about 2 for section 11 (the NOTIFY ceiling), 2-3 for target 8, 3-4 for target 9 and
/// about 50 for target 4 (four processes, each holding 10,000 streams for 10 minutes);
/// <c>--quick</c> is a smoke run.
/// </summary>
public sealed record BenchOptions
{
    /// <summary>Which targets of performance.md to run (1-10), and 11: PostgreSQL's NOTIFY ceiling (beside target 5).</summary>
    public IReadOnlySet<int> Targets { get; init; } = new HashSet<int> { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };

    /// <summary>The server's Release build to start.</summary>
    public string? ServerDll { get; init; }

    /// <summary>Where the Markdown report goes; null = the repository's docs/benchmarks.md.</summary>
    public string? ReportPath { get; init; }

    /// <summary>The command line that reproduces this run, written into the report.</summary>
    public string Command { get; init; } = "./bench.sh";

    // Target 1: delivery latency.
    public int[] LatencySizes { get; init; } = [100, 1_000, 5_000];
    /// <summary>Polling clients are capped: 1,000 pollers already make 667 requests/s on 2 cores.</summary>
    public int MaxPollers { get; init; } = 1_000;
    public int CompletionsPerSecond { get; init; } = 50;
    public TimeSpan LatencyWarmup { get; init; } = TimeSpan.FromSeconds(3);
    public TimeSpan LatencyWindow { get; init; } = TimeSpan.FromSeconds(15);

    // Target 2: cost per delivered answer.
    public int CostClients { get; init; } = 250;
    public int CostJobMs { get; init; } = 10_000;
    public TimeSpan WrkDuration { get; init; } = TimeSpan.FromSeconds(10);
    public int WrkConnections { get; init; } = 32;

    // Target 3: database statements per waiting stream.
    public int StatementJobs { get; init; } = 250;
    public int ShortJobMs { get; init; } = 2_000;
    public int LongJobMs { get; init; } = 25_000;
    public int[] WaitingStreamSizes { get; init; } = [100, 1_000, 10_000];
    public TimeSpan StatementWindow { get; init; } = TimeSpan.FromSeconds(10);

    // Target 4: open streams.
    public int[] OpenStreamSizes { get; init; } = [1_000, 5_000, 10_000];
    /// <summary>How long the largest size is held (heartbeats, drops, idle CPU are counted over it).</summary>
    public TimeSpan OpenStreamHold { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Which kinds of stream to measure beside the bare floor (always measured): landing, tutor, feed.</summary>
    public IReadOnlySet<string> OpenStreamKinds { get; init; } = new HashSet<string> { "landing", "tutor", "feed" };
    /// <summary>Extra environment for every process target 4 starts (the app and the floor alike), e.g. a GC setting to try.</summary>
    public IReadOnlyDictionary<string, string> OpenStreamEnvironment { get; init; } = new Dictionary<string, string>();

    // Target 7: the live feed.
    /// <summary>Activity rows the server's generator makes for each size (<c>Feed:SeedActivityRows</c>).</summary>
    public int[] FeedSizes { get; init; } = [1_000, 10_000, 100_000];
    /// <summary>Measured rounds per size (each: new activity, a cache miss, cached pages, the N+1 baseline), after warm-up rounds.</summary>
    public int FeedRounds { get; init; } = 15;
    public int FeedWarmupRounds { get; init; } = 3;
    public int FeedViewers { get; init; } = 200;
    /// <summary>How often each viewer reloads the page: 200 viewers every 250 ms is 800 requests/s, which 2 shared cores can serve.</summary>
    public TimeSpan FeedViewerInterval { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan FeedViewerWindow { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan FeedActivityInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    // Target 5: fan-out.
    /// <summary>Live feed streams held open (5a): performance.md's 1,000 and a tenth of it.</summary>
    public int[] FanOutFeedStreams { get; init; } = [100, 1_000];
    public int FanOutActivitiesPerSecond { get; init; } = 50;
    /// <summary>Answers streaming at once (5b): performance.md's 200 and a tenth of it.</summary>
    public int[] FanOutAnswers { get; init; } = [20, 200];
    public int FanOutDeltaIntervalMs { get; init; } = 100;
    /// <summary>Deltas per answer: 100 at 100 ms is a 10 s answer, so each client re-asks every 10 s or so.</summary>
    public int FanOutDeltasPerAnswer { get; init; } = 100;
    public TimeSpan FanOutWarmup { get; init; } = TimeSpan.FromSeconds(3);
    public TimeSpan FanOutWindow { get; init; } = TimeSpan.FromSeconds(15);

    // 11: PostgreSQL's NOTIFY ceiling.
    /// <summary>Connections committing at once in the bare loop (each count is run with and without NOTIFY).</summary>
    public int[] CeilingConnections { get; init; } = [1, 2, 4, 8, 16, 32];
    public TimeSpan CeilingDuration { get; init; } = TimeSpan.FromSeconds(5);

    // Target 6: the job queue.
    /// <summary>Jobs per throughput phase (enqueue → completed, and each drain).</summary>
    public int QueueJobs { get; init; } = 5_000;
    /// <summary>Single jobs for the app's idle insert → claim.</summary>
    public int QueueWakeUps { get; init; } = 200;
    /// <summary>Single jobs for the 1 s poller's insert → claim (about 4 a second: 60 take 15 s).</summary>
    public int QueuePollJobs { get; init; } = 60;
    /// <summary>
    /// The app's Worker:Concurrency, and the bare loop's connections: one server each. The first (appsettings.json
    /// ships 4) is the one the verdicts read and the only one whose wake-ups are measured.
    /// </summary>
    public int[] QueueConcurrency { get; init; } = [4, 16];
    /// <summary>HTTP clients enqueueing at once.</summary>
    public int QueueEnqueuers { get; init; } = 16;
    /// <summary>Drain rounds (the app's worker and the bare loop once each per round).</summary>
    public int QueueRounds { get; init; } = 2;
    public int QueueWarmupJobs { get; init; } = 300;

    // Target 8: the landing visitor against an Interactive Server circuit.
    /// <summary>Landing visitors (each a cookie, a question answered, an events stream held).</summary>
    public int LandingVisitors { get; init; } = 1_000;
    /// <summary>Interactive Server circuits, each a headless Chromium page: 50 pages are about 3 GB of the browser's memory.</summary>
    public int LandingCircuits { get; init; } = 50;

    // Target 9: listener loss, at target 1's load (completions per second from CompletionsPerSecond).
    public int ListenerLossStreams { get; init; } = 1_000;
    /// <summary>Each run's measured window; the fault lands <see cref="ListenerLossFaultAt"/> into it.</summary>
    public TimeSpan ListenerLossWindow { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan ListenerLossFaultAt { get; init; } = TimeSpan.FromSeconds(10);

    public static BenchOptions Quick => new()
    {
        LatencySizes = [50, 200],
        LatencyWarmup = TimeSpan.FromSeconds(2),
        LatencyWindow = TimeSpan.FromSeconds(5),
        CostClients = 50,
        CostJobMs = 3_000,
        WrkDuration = TimeSpan.FromSeconds(3),
        StatementJobs = 50,
        ShortJobMs = 1_000,
        LongJobMs = 5_000,
        WaitingStreamSizes = [100, 500],
        StatementWindow = TimeSpan.FromSeconds(3),
        OpenStreamSizes = [100, 1_000],
        OpenStreamHold = TimeSpan.FromSeconds(15),
        FeedSizes = [500, 2_000],
        FeedRounds = 5,
        FeedWarmupRounds = 2,
        FeedViewers = 50,
        FeedViewerWindow = TimeSpan.FromSeconds(4),
        QueueJobs = 500,
        QueueWakeUps = 40,
        QueuePollJobs = 12,
        QueueRounds = 1,
        QueueWarmupJobs = 100,
        LandingVisitors = 200,
        LandingCircuits = 10,
        ListenerLossStreams = 200,
        ListenerLossWindow = TimeSpan.FromSeconds(15),
        ListenerLossFaultAt = TimeSpan.FromSeconds(5),
        FanOutFeedStreams = [20, 200],
        FanOutAnswers = [5, 50],
        FanOutDeltasPerAnswer = 30,
        FanOutWarmup = TimeSpan.FromSeconds(2),
        FanOutWindow = TimeSpan.FromSeconds(4),
        CeilingConnections = [1, 8],
        CeilingDuration = TimeSpan.FromSeconds(2),
    };

    public static string Usage => """
        BlazorJobs.Bench [--help] [--quick] [--targets 1,2,3,4,5,6,7,8,9,10,11] [--server <BlazorJobs.Server.dll>] [--report <file.md>]
                         [--latency-sizes 100,1000,5000] [--latency-seconds 15] [--cost-clients 250]
                         [--long-job-ms 25000] [--waiting-sizes 100,1000,10000]
                         [--open-sizes 1000,5000,10000] [--open-hold-seconds 600] [--open-kinds landing,tutor,feed]
                         [--open-env NAME=VALUE]...
                         [--feed-sizes 1000,10000,100000] [--feed-rounds 15] [--feed-viewers 200]
                         [--queue-jobs 5000] [--queue-wakeups 200] [--queue-concurrency 4,16] [--queue-rounds 2]
                         [--landing-visitors 1000] [--landing-circuits 50]
                         [--loss-streams 1000] [--loss-seconds 30] [--loss-fault-at 10]
                         [--fanout-streams 100,1000] [--fanout-answers 20,200] [--fanout-seconds 15]
                         [--ceiling-connections 1,2,4,8,16,32] [--ceiling-seconds 5]
                         [--command "<text for the report>"]
        Target 11 is not in performance.md's table: PostgreSQL's NOTIFY ceiling, the bare commit loop beside target 5
        (how many notifying commits per second, and so streaming answers, one database sustains).
        A run of some targets keeps the other targets' sections of the existing report (marked with the run they come from).
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = args.Contains("--quick") ? Quick : new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            options = args[i] switch
            {
                "--quick" => options,
                "--targets" => options with { Targets = Ints(Value()).ToHashSet() },
                "--server" => options with { ServerDll = Path.GetFullPath(Value()) },
                "--report" => options with { ReportPath = Path.GetFullPath(Value()) },
                "--command" => options with { Command = Value() },
                "--latency-sizes" => options with { LatencySizes = Ints(Value()) },
                "--latency-seconds" => options with { LatencyWindow = TimeSpan.FromSeconds(Ints(Value())[0]) },
                "--cost-clients" => options with { CostClients = Ints(Value())[0] },
                "--long-job-ms" => options with { LongJobMs = Ints(Value())[0] },
                "--waiting-sizes" => options with { WaitingStreamSizes = Ints(Value()) },
                "--open-sizes" => options with { OpenStreamSizes = Ints(Value()) },
                "--open-kinds" => options with { OpenStreamKinds = Value().Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet() },
                "--open-env" => options with { OpenStreamEnvironment = new Dictionary<string, string>(options.OpenStreamEnvironment) { [Value().Split('=', 2)[0]] = args[i].Split('=', 2)[1] } },
                "--open-hold-seconds" => options with { OpenStreamHold = TimeSpan.FromSeconds(Ints(Value())[0]) },
                "--feed-sizes" => options with { FeedSizes = Ints(Value()) },
                "--feed-rounds" => options with { FeedRounds = Ints(Value())[0] },
                "--feed-viewers" => options with { FeedViewers = Ints(Value())[0] },
                "--queue-jobs" => options with { QueueJobs = Ints(Value())[0] },
                "--queue-wakeups" => options with { QueueWakeUps = Ints(Value())[0] },
                "--queue-concurrency" => options with { QueueConcurrency = Ints(Value()) },
                "--queue-rounds" => options with { QueueRounds = Ints(Value())[0] },
                "--landing-visitors" => options with { LandingVisitors = Ints(Value())[0] },
                "--landing-circuits" => options with { LandingCircuits = Ints(Value())[0] },
                "--loss-streams" => options with { ListenerLossStreams = Ints(Value())[0] },
                "--loss-seconds" => options with { ListenerLossWindow = TimeSpan.FromSeconds(Ints(Value())[0]) },
                "--loss-fault-at" => options with { ListenerLossFaultAt = TimeSpan.FromSeconds(Ints(Value())[0]) },
                "--fanout-streams" => options with { FanOutFeedStreams = Ints(Value()) },
                "--fanout-answers" => options with { FanOutAnswers = Ints(Value()) },
                "--fanout-seconds" => options with { FanOutWindow = TimeSpan.FromSeconds(Ints(Value())[0]) },
                "--ceiling-connections" => options with { CeilingConnections = Ints(Value()) },
                "--ceiling-seconds" => options with { CeilingDuration = TimeSpan.FromSeconds(Ints(Value())[0]) },
                _ => throw new ArgumentException($"Unknown argument {args[i]}.\n{Usage}"),
            };
        }
        return options;
    }

    private static int[] Ints(string csv) =>
        csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
}
