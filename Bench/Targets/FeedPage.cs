using System.Diagnostics;
using BlazorJobs.Bench.Client;
using BlazorJobs.Bench.Database;
using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;
using Npgsql;

namespace BlazorJobs.Bench.Targets;

/// <summary>What one dataset size measured.</summary>
/// <param name="Assembled">Rounds whose stream was assembled (a batch per source group), the only ones counted as misses.</param>
/// <param name="FromCache">Rounds meant as misses that the cache answered anyway (one batch).</param>
/// <param name="PageMismatch">Null when the baseline's page equals the JSON page in every round; else the first difference.</param>
/// <param name="ServerFirstBatchMs">The server's own mean for the misses' first batch (its <c>blazorjobs.feed.time_to_first_batch</c>): the rest is the wire and the client.</param>
internal sealed record FeedSize(int Requested, long Generated, long SourceRows, LatencySummary MissFirst, double ServerFirstBatchMs, LatencySummary MissComplete,
    LatencySummary CachedJson, LatencySummary CachedStream, LatencySummary Baseline, double BaselineStatements,
    int Assembled, int FromCache, int GroupErrors, double Batches, string? PageMismatch, string Load)
{
    public double FirstShare => MissFirst.P50 / MissComplete.P50;
    public double Speedup => Baseline.P50 / MissFirst.P50;
}

/// <summary>
/// Target 7: the live feed's first page at 1,000 / 10,000 / 100,000 activity rows, over HTTP: the
/// stream's first batch and completion on a cache miss, the cached page (JSON and stream), against the
/// same page built by sequential N+1 queries in the same run; then the source queries that 1 and many
/// viewers cost, with and without activity landing.
/// </summary>
public static class FeedPage
{
    public const int PageSize = 20;
    internal const int CachedRepeats = 3;

    /// <summary>
    /// New activity reaches the server as a NOTIFY within milliseconds and drops the cache at once when the
    /// last drop is over a second old; the wait also lets the live push's own look-up finish before the timed request.
    /// </summary>
    internal static readonly TimeSpan ActivitySettles = TimeSpan.FromMilliseconds(200);

    /// <summary>The server's Prometheus exporter answers from a 300 ms cache: a reading this long after the last one is fresh.</summary>
    private static readonly TimeSpan ScrapeCacheOutlived = TimeSpan.FromMilliseconds(350);

    /// <summary>Rounds start at least this far apart, so every round's activity drops the cache at once rather than on the throttle's timer.</summary>
    internal static readonly TimeSpan RoundSpacing = TimeSpan.FromMilliseconds(1_100);

    public static async Task<ReportSection> RunAsync(BenchContext context)
    {
        var options = context.Options;
        var sizes = new List<FeedSize>();
        var windows = new List<ViewerWindow>();
        for (var index = 0; index < options.FeedSizes.Length; index++)
        {
            var size = options.FeedSizes[index];
            var scenario = await StartWithDatasetAsync(context, size);
            try
            {
                await using var dataSource = DataSource(scenario.Probe);
                var dataset = new FeedDataset(dataSource);
                sizes.Add(await MeasureSizeAsync(scenario, dataset, dataSource, size, options));
                // Counting needs the cache's behaviour, not more rows: once, at the largest dataset.
                if (index == options.FeedSizes.Length - 1)
                {
                    windows = await FeedViewers.RunAsync(scenario, dataset, options);
                }
                // The next server's first start generates the next size only into empty tables.
                await dataset.ClearGeneratedAsync();
            }
            finally
            {
                await scenario.DisposeAsync();
            }
        }
        return FeedPageReport.Describe(sizes, windows, options);
    }

    /// <summary>
    /// A server whose first start generated <paramref name="rows"/> activity rows with its own
    /// <c>FeedActivityGenerator</c> (<c>Feed:SeedActivityRows</c>, which seeds only empty tables). When the
    /// tables already held other activity (an earlier target's server seeded its default), they are emptied and
    /// the server started again.
    /// </summary>
    private static async Task<Scenario> StartWithDatasetAsync(BenchContext context, int rows)
    {
        var config = new ServerConfig($"feed, {Format.Int(rows)} activity rows", 1_000, 1, WorkerEnabled: false)
        {
            Settings = new Dictionary<string, string> { ["Feed__SeedActivityRows"] = rows.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        for (var attempt = 0; ; attempt++)
        {
            var scenario = await Scenario.StartAsync(context, config, warmUp: false);
            try
            {
                await using var dataSource = DataSource(scenario.Probe);
                var dataset = new FeedDataset(dataSource);
                var generated = await dataset.GeneratedRowsAsync();
                // The generator rounds each table's share, so a few rows either way.
                if (Math.Abs(generated - rows) <= rows / 100 + 10)
                {
                    await dataset.AnalyzeAsync();
                    return scenario;
                }
                if (attempt > 0)
                {
                    throw new InvalidOperationException($"Asked the server to generate {rows} activity rows into empty tables; they hold {generated}.");
                }
                Progress.Line($"  the activity tables hold {Format.Int(generated)} rows from an earlier server: emptying them and starting again");
                await dataset.ClearGeneratedAsync();
            }
            catch
            {
                await scenario.DisposeAsync();
                throw;
            }
            await scenario.DisposeAsync();
        }
    }

    /// <summary>Pooled, unlike the probe's one connection: the baseline opens a connection per page as an app would.</summary>
    private static NpgsqlDataSource DataSource(DatabaseProbe probe) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(probe.ConnectionString) { Pooling = true, MaxPoolSize = 4, ApplicationName = "blazorjobs-bench-feed" }.ConnectionString);

    private static async Task<FeedSize> MeasureSizeAsync(Scenario scenario, FeedDataset dataset, NpgsqlDataSource dataSource, int rows, BenchOptions options)
    {
        // The machine is shared: each size's figures are read next to how busy it was when they were taken.
        var load = MachineInfo.LoadAverage();
        var sourceRows = await dataset.SourceRowsAsync();
        var generated = await dataset.GeneratedRowsAsync();
        Progress.Line($"target 7: {Format.Int(sourceRows)} source rows ({Format.Int(generated)} generated): {options.FeedWarmupRounds} warm-up + {options.FeedRounds} rounds of " +
            "new activity → cache miss, cached pages, N+1 baseline");
        using var client = new FeedClient(scenario.Server.BaseAddress);
        using var metrics = new MetricsScraper(scenario.Server.BaseAddress, "blazorjobs_feed_time_to_first_batch");
        double serverSum = 0, serverCount = 0;
        var baseline = new FeedNPlusOne(dataSource);
        List<TimeSpan> missFirst = [], missComplete = [], cachedJson = [], cachedStream = [], baselineTimes = [];
        var baselineStatements = new List<int>();
        int assembled = 0, fromCache = 0, groupErrors = 0, batches = 0;
        string? mismatch = null;

        for (var round = 0; round < options.FeedWarmupRounds + options.FeedRounds; round++)
        {
            var measured = round >= options.FeedWarmupRounds;
            var roundStarted = Stopwatch.GetTimestamp();
            await dataset.AddActivityAsync();
            await Task.Delay(ActivitySettles);

            var before = await metrics.ReadAsync();
            var miss = await client.StreamPageAsync(CancellationToken.None);
            await Task.Delay(ScrapeCacheOutlived);
            var after = await metrics.ReadAsync();
            var wasAssembled = miss.Batches + miss.GroupErrors > 1;
            FeedPageTiming? json = null;
            var jsonTimes = new List<TimeSpan>();
            var streamTimes = new List<TimeSpan>();
            for (var i = 0; i < CachedRepeats; i++)
            {
                json = await client.GetPageAsync(CancellationToken.None);
                jsonTimes.Add(json.Complete);
                streamTimes.Add((await client.StreamPageAsync(CancellationToken.None)).Complete);
            }
            var page = await baseline.BuildFirstPageAsync(PageSize);
            mismatch ??= Compare(json!.Ids, page.Ids);

            if (measured)
            {
                if (wasAssembled)
                {
                    assembled++;
                    missFirst.Add(miss.FirstBatch);
                    missComplete.Add(miss.Complete);
                    batches += miss.Batches;
                    if (after.Count == before.Count + 1)
                    {
                        serverSum += after.SumMs - before.SumMs;
                        serverCount++;
                    }
                }
                else
                {
                    fromCache++;
                }
                groupErrors += miss.GroupErrors;
                cachedJson.AddRange(jsonTimes);
                cachedStream.AddRange(streamTimes);
                baselineTimes.Add(page.Complete);
                baselineStatements.Add(page.Statements);
            }
            var rest = RoundSpacing - Stopwatch.GetElapsedTime(roundStarted);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }
        }

        var result = new FeedSize(rows, generated, sourceRows, LatencySummary.Of(missFirst), serverCount > 0 ? serverSum / serverCount : double.NaN, LatencySummary.Of(missComplete),
            LatencySummary.Of(cachedJson), LatencySummary.Of(cachedStream), LatencySummary.Of(baselineTimes),
            baselineStatements.DefaultIfEmpty(0).Average(), assembled, fromCache, groupErrors, assembled == 0 ? double.NaN : (double)batches / assembled, mismatch,
            $"{load} → {MachineInfo.LoadAverage()}");
        Progress.Line($"  miss: first batch p50 {Format.Ms(result.MissFirst.P50)} ms (server-side mean {Format.Ms(result.ServerFirstBatchMs)} ms), complete p50 {Format.Ms(result.MissComplete.P50)} ms; " +
            $"cached: JSON p50 {Format.Ms(result.CachedJson.P50)} ms, stream p50 {Format.Ms(result.CachedStream.P50)} ms; " +
            $"N+1 baseline p50 {Format.Ms(result.Baseline.P50)} ms ({result.BaselineStatements:0} statements) = {Format.Ratio(result.Speedup)}; " +
            $"{fromCache} meant misses served from cache; same page: {(mismatch is null ? "yes" : mismatch)}");
        return result;
    }

    private static string? Compare(IReadOnlyList<string> served, IReadOnlyList<string> baseline)
    {
        if (served.SequenceEqual(baseline, StringComparer.Ordinal))
        {
            return null;
        }
        var at = Enumerable.Range(0, Math.Max(served.Count, baseline.Count))
            .First(i => i >= served.Count || i >= baseline.Count || served[i] != baseline[i]);
        return $"item {at + 1}: served {(at < served.Count ? served[at] : "none")}, baseline {(at < baseline.Count ? baseline[at] : "none")}";
    }
}
