using BlazorJobs.Bench.Database;
using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;
using Npgsql;

namespace BlazorJobs.Bench.Targets;

/// <summary>One bare commit loop, with the CPU it took (in cores: 1 = one core busy for the whole run).</summary>
internal sealed record CeilingRow(CeilingRun Run, double PostgresCores, double DriverCores);

/// <summary>
/// Section 11, beside target 5: the most notifying commits per second this machine's PostgreSQL sustains (a
/// bare Npgsql loop, no app), against the same commits without NOTIFY, at several connection counts. Divided
/// by the commits one streaming answer makes per second, it says how many answers one database can stream.
/// </summary>
public static class PostgresCeiling
{
    public const string Title = "11. PostgreSQL's NOTIFY ceiling";

    public static async Task<ReportSection> RunAsync(BenchContext context)
    {
        var options = context.Options;
        // Only for its PostgreSQL (the same embedded cluster and settings every target runs on): the worker is off.
        await using var scenario = await Scenario.StartAsync(context, new ServerConfig("NOTIFY ceiling", 1_000, 1, WorkerEnabled: false), warmUp: false);
        var connectionString = scenario.Probe.ConnectionString;
        var settings = await SettingsAsync(connectionString);
        var load = MachineInfo.LoadAverage();
        Progress.Line($"section 11: bare commit loops at {string.Join(", ", options.CeilingConnections)} connections, {options.CeilingDuration.TotalSeconds:0} s each, " +
            $"with and without NOTIFY ({settings}; load {load})");
        await NotifyCeiling.PrepareAsync(connectionString, options.CeilingConnections.Max());
        // Plans, caches and the WAL's first segments: a short run of each kind first.
        TimeSpan PostgresCpu() => scenario.Server.Cpu().Postgres;
        await NotifyCeiling.RunAsync(connectionString, 2, notify: true, asyncCommit: false, TimeSpan.FromSeconds(1), PostgresCpu);
        await NotifyCeiling.RunAsync(connectionString, 2, notify: false, asyncCommit: false, TimeSpan.FromSeconds(1), PostgresCpu);

        var rows = new List<CeilingRow>();
        foreach (var connections in options.CeilingConnections)
        {
            // Notifying, plain, and notifying without waiting for the flush (synchronous_commit = off).
            foreach (var (notify, asyncCommit) in new[] { (true, false), (false, false), (true, true) })
            {
                var driverBefore = FanOut.DriverCpu();
                var run = await NotifyCeiling.RunAsync(connectionString, connections, notify, asyncCommit, options.CeilingDuration, PostgresCpu);
                // The driver's figure includes the drain and teardown after the deadline: an upper bound.
                var driver = FanOut.DriverCpu() - driverBefore;
                var row = new CeilingRow(run, run.PostgresCpu.TotalSeconds / run.Elapsed.TotalSeconds, driver.TotalSeconds / run.Elapsed.TotalSeconds);
                rows.Add(row);
                Progress.Line($"  {connections} connection(s), {(notify ? "NOTIFY" : "no NOTIFY")}{(asyncCommit ? ", synchronous_commit=off" : "")}: {run.CommitsPerSecond:0} commits/s, " +
                    $"{(notify ? $"{run.Notifications} of {run.AllCommits} notifications heard, " : "")}PostgreSQL {row.PostgresCores:0.00} cores, " +
                    $"driver {row.DriverCores:0.00} cores, waits {PostgresCeilingReport.TopWaits(run, 3)}");
            }
        }
        return PostgresCeilingReport.Describe(rows, options, settings, load);
    }

    /// <summary>The settings that decide what a commit costs on this cluster.</summary>
    private static async Task<string> SettingsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var shown = new List<string>();
        foreach (var name in new[] { "synchronous_commit", "fsync", "wal_sync_method", "commit_delay", "max_connections" })
        {
            await using var command = new NpgsqlCommand($"SHOW {name}", connection);
            shown.Add($"{name}={await command.ExecuteScalarAsync()}");
        }
        return string.Join(", ", shown);
    }
}
