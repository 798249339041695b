using BlazorJobs.Bench.Client;
using BlazorJobs.Bench.Database;
using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Measure;

namespace BlazorJobs.Bench;

/// <summary>Where every scenario's server comes from, and what the report needs to know about it.</summary>
public sealed class BenchContext(BenchOptions options, string serverDll, BenchWorkspace workspace)
{
    public BenchOptions Options => options;
    public string ServerDll => serverDll;
    public BenchWorkspace Workspace => workspace;

    /// <summary>Where charts go: a folder beside the report, linked from it by a relative path.</summary>
    public string ChartFolder { get; init; } = Path.Combine(workspace.Root, "charts");

    /// <summary>Where every server's whole log goes, one file each: kept after the run, unlike the workspace.</summary>
    public string LogFolder { get; init; } = Path.Combine(workspace.Root, "logs");

    /// <summary>Read from the first server started.</summary>
    public string PostgresVersion { get; set; } = "unknown";
}

/// <summary>
/// One server configuration under test: the server process, a probe connection to its PostgreSQL, an
/// HTTP client, and a handful of visitors whose cookies the simulated clients share.
/// </summary>
public sealed class Scenario : IAsyncDisposable
{
    private const int VisitorCount = 16;

    private Scenario(ServerProcess server, DatabaseProbe probe)
    {
        Server = server;
        Probe = probe;
        Client = new LandingClient(server.BaseAddress);
    }

    public ServerProcess Server { get; }
    public DatabaseProbe Probe { get; }
    public LandingClient Client { get; }
    public Visitor[] Visitors { get; } = Visitor.Many(VisitorCount);

    /// <param name="warmUp">
    /// Exercise enqueue, stream, poll and cancel a few times first, so the JIT's first-call costs stay out
    /// of CPU and latency figures (not done where only statements are counted: the warm-up's cancelled
    /// jobs would renew their leases inside the measurement).
    /// </param>
    public static async Task<Scenario> StartAsync(BenchContext context, ServerConfig config, bool warmUp)
    {
        Progress.Line($"starting the server ({config.Name}: {config.JobDurationMs} ms jobs, worker {(config.WorkerEnabled ? config.WorkerConcurrency + " slots" : "disabled")})");
        var server = await ServerProcess.StartAsync(context.ServerDll, context.Workspace.DataDirectory, config, context.LogFolder);
        DatabaseProbe? probe = null;
        try
        {
            probe = await DatabaseProbe.ConnectAsync(server.DatabasePort, server.DataDirectory);
            context.PostgresVersion = await probe.ServerVersionAsync();
            var scenario = new Scenario(server, probe);
            if (warmUp)
            {
                await scenario.WarmUpAsync();
            }
            return scenario;
        }
        catch
        {
            if (probe is not null)
            {
                await probe.DisposeAsync();
            }
            await server.StopAsync();
            throw;
        }
    }

    private async Task WarmUpAsync()
    {
        const int rounds = 8;
        for (var i = 0; i < rounds; i++)
        {
            var visitor = Visitors[i % Visitors.Length];
            var job = await Client.EnqueueAsync(visitor, "Warm-up question", CancellationToken.None);
            await using var stream = await Client.OpenStreamAsync(visitor, job.StreamUrl, CancellationToken.None);
            await Client.PollAsync(visitor, job.PollUrl, null, CancellationToken.None);
            await Client.CancelAsync(visitor, job.JobId, CancellationToken.None);
            await stream.ReadToTerminalAsync(CancellationToken.None);
            await Client.PollAsync(visitor, job.PollUrl, null, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Probe.DisposeAsync();
        await Server.StopAsync();
    }
}
