using System.Globalization;
using System.Diagnostics;
using BlazorJobs.Bench;
using BlazorJobs.Bench.BareSse;
using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Report;
using BlazorJobs.Bench.Targets;

// The benchmarks of performance.md, targets 1-10, and 11 (PostgreSQL's NOTIFY ceiling, beside target 5): see docs/benchmarks.md for what each measures.
if (args.Length == 3 && args[0] == BareSseServer.Flag)
{
    // Target 4's floor, started by the benchmark itself as a separate process.
    return await BareSseServer.RunAsync(args[1], double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
}
if (args.Contains("--help"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

var repository = RepositoryRoot();
var serverDll = options.ServerDll ?? Path.Combine(repository, ".artifacts", "bench", "bin", "Server", "release", "BlazorJobs.Server.dll");
if (!File.Exists(serverDll))
{
    Console.Error.WriteLine($"No server build at {serverDll}. Build it first (bench.sh does): " +
        "dotnet build Server/Server.csproj -c Release --artifacts-path .artifacts/bench");
    return 2;
}

var clock = Stopwatch.StartNew();
var machine = MachineInfo.Read(repository);
var loadBefore = MachineInfo.LoadAverage();
Console.WriteLine($"BlazorJobs benchmarks at {machine.Commit}: {machine.Cores} cores, {machine.Memory}, {machine.CpuModel}, load {loadBefore}");
var failures = 0;
using var workspace = BenchWorkspace.Create();
var reportPath = options.ReportPath ?? Path.Combine(repository, "docs", "benchmarks.md");
var context = new BenchContext(options, serverDll, workspace)
{
    ChartFolder = Path.Combine(Path.GetDirectoryName(reportPath)!, "benchmarks"),
    LogFolder = Path.Combine(repository, ".artifacts", "bench", "logs", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)),
};
Console.WriteLine($"Server logs: {context.LogFolder}");
var sections = new List<ReportSection>();
var targets = new (int Number, string Name, Func<BenchContext, Task<ReportSection>> Run)[]
{
    (1, "1. Delivery latency", DeliveryLatency.RunAsync),
    (2, "2. Cost per delivered answer", CostPerAnswer.RunAsync),
    (3, "3. Database statements per waiting stream", DatabaseStatements.RunAsync),
    (4, "4. Open streams", OpenStreams.RunAsync),
    (5, "5. Fan-out", FanOut.RunAsync),
    (6, "6. Job queue", JobQueue.RunAsync),
    (7, "7. Live feed", FeedPage.RunAsync),
    (8, "8. The landing visitor", LandingVisitors.RunAsync),
    (9, "9. Listener loss", ListenerLoss.RunAsync),
    (10, "10. The landing guide's first use", LandingFirstUse.RunAsync),
    (11, PostgresCeiling.Title, PostgresCeiling.RunAsync),
};
foreach (var target in targets.Where(t => options.Targets.Contains(t.Number)))
{
    Console.WriteLine($"== {target.Name}");
    try
    {
        sections.Add(await target.Run(context));
    }
    catch (Exception ex)
    {
        // One broken target must not hide the others' figures: say what happened in its place.
        failures++;
        Console.Error.WriteLine($"  ! {target.Name} failed: {ex}");
        sections.Add(new ReportSection(target.Name).Text($"Not measured in this run: the benchmark failed with `{ex.GetType().Name}: {ex.Message.Split('\n')[0]}`."));
    }
}

var report = new BenchmarkReport(machine, options.Command, context.PostgresVersion, loadBefore);
foreach (var section in sections)
{
    report.Add(section);
}
// The file is written whole: the targets this run skipped keep their sections from the file it replaces.
foreach (var section in EarlierReport.KeptSections(reportPath, targets.Where(t => options.Targets.Contains(t.Number)).Select(t => t.Number).ToHashSet()))
{
    report.Keep(section);
}
await File.WriteAllTextAsync(reportPath, report.Render(clock.Elapsed));
Console.WriteLine($"Wrote {reportPath} ({clock.Elapsed.TotalMinutes:0.0} min).");
return failures == 0 ? 0 : 1;

static string RepositoryRoot()
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BlazorJobs.sln")))
            {
                return dir.FullName;
            }
        }
    }
    throw new InvalidOperationException("Run the benchmark from inside the repository (no BlazorJobs.sln found above it).");
}
