using System.Diagnostics;
using BlazorJobs.Bench.Client;
using BlazorJobs.Bench.Database;
using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;
using Npgsql;

namespace BlazorJobs.Bench.Targets;

/// <summary>
/// Target 5a: live feed streams held open while the benchmark inserts numbered announcements at a steady
/// rate from its own connection, as any part of the platform writes activity. Each insert's statement
/// trigger notifies <c>feed_changed</c>; the server's <c>FeedLiveHub</c> looks the row up once and hands it
/// to every open live stream. Every stream should receive every activity once: latency is the stream's
/// receive time minus the item's <c>sortDate</c> (<c>clock_timestamp()</c> at the insert).
/// </summary>
internal static class FeedFanOut
{
    /// <summary>After the producer stops: long enough for the last activity to reach every stream.</summary>
    private static readonly TimeSpan Tail = TimeSpan.FromSeconds(3);

    /// <summary>Inserts in flight at once, at most (the data source's pool is as large).</summary>
    private const int InFlight = 8;

    public static async Task<List<FanOutRow>> RunAsync(BenchContext context)
    {
        var options = context.Options;
        // One server for every size (smallest first): the sizes differ only in streams open. The worker is off:
        // nothing here enqueues, and its sweeps would only add noise.
        var config = new ServerConfig("fan-out: live feed", 1_000, 1, WorkerEnabled: false);
        await using var scenario = await Scenario.StartAsync(context, config, warmUp: false);
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(scenario.Probe.ConnectionString)
        {
            Pooling = true, MaxPoolSize = InFlight, ApplicationName = "blazorjobs-bench-fanout",
        }.ConnectionString);
        var dataset = new FeedDataset(dataSource);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            MaxConnectionsPerServer = int.MaxValue,
            ConnectTimeout = TimeSpan.FromSeconds(15),
        })
        { BaseAddress = scenario.Server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };

        var rows = new List<FanOutRow>();
        var next = 0;
        foreach (var size in options.FanOutFeedStreams.Order())
        {
            rows.Add(await MeasureAsync(scenario, dataset, http, size, options, () => Interlocked.Increment(ref next)));
        }
        return rows;
    }

    private static async Task<FanOutRow> MeasureAsync(Scenario scenario, FeedDataset dataset, HttpClient http, int size, BenchOptions options, Func<int> nextNumber)
    {
        var load = MachineInfo.LoadAverage();
        Progress.Line($"target 5a: {size} live feed streams, {options.FanOutActivitiesPerSecond} activities/s, " +
            $"{options.FanOutWarmup.TotalSeconds:0} s warm-up, {options.FanOutWindow.TotalSeconds:0} s measured (load {load})");
        var streams = new LiveFeedStream[size];
        await Parallel.ForEachAsync(Enumerable.Range(0, size), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (index, ct) =>
            streams[index] = await LiveFeedStream.OpenAsync(http, scenario.Visitors[index % scenario.Visitors.Length], ct));

        var problems = new ProblemLog($"activities for {size} streams");
        var produced = new List<int>();
        long producerErrors = 0;
        using var stop = new CancellationTokenSource();
        var producer = ProduceAsync(dataset, options.FanOutActivitiesPerSecond, nextNumber, n =>
        {
            lock (produced)
            {
                produced.Add(n);
            }
        }, ex =>
        {
            Interlocked.Increment(ref producerErrors);
            problems.Add(ex);
        }, stop.Token);
        await Task.Delay(options.FanOutWarmup);

        await using var floor = await CommitNotifyFloor.OpenAsync(scenario.Probe.ConnectionString);
        int FirstUnproduced()
        {
            lock (produced)
            {
                return produced.Count == 0 ? 0 : produced.Max() + 1;
            }
        }
        var first = FirstUnproduced();
        var cpuBefore = scenario.Server.Cpu();
        var driverBefore = FanOut.DriverCpu();
        floor.Start();
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(options.FanOutWindow);
        var window = Stopwatch.GetElapsedTime(started);
        var cpu = scenario.Server.Cpu() - cpuBefore;
        var driver = FanOut.DriverCpu() - driverBefore;
        var last = FirstUnproduced() - 1;
        var (floorLatency, _) = await floor.StopAsync();
        await stop.CancelAsync();
        await producer;
        await Task.Delay(Tail);

        var dropped = streams.Count(s => s.Dropped);
        await Parallel.ForEachAsync(streams, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (stream, _) => await stream.DisposeAsync());
        problems.Summarize();

        // The window's activities: those numbered first..last that were inserted (a failed insert is not expected).
        HashSet<int> inWindow;
        lock (produced)
        {
            inWindow = produced.Where(n => n >= first && n <= last).ToHashSet();
        }
        long delivered = 0, duplicates = 0;
        var latencies = new List<TimeSpan>(inWindow.Count * size);
        foreach (var stream in streams)
        {
            var seen = new HashSet<int>();
            foreach (var arrival in stream.Arrivals)
            {
                if (!inWindow.Contains(arrival.Number))
                {
                    continue;
                }
                if (seen.Add(arrival.Number))
                {
                    latencies.Add(arrival.ReceivedAt - arrival.SortDate);
                }
                else
                {
                    duplicates++;
                }
            }
            delivered += seen.Count;
        }
        var row = new FanOutRow("feed", size, inWindow.Count, (long)inWindow.Count * size, delivered, duplicates, dropped,
            LatencySummary.Of(latencies), cpu, driver, window, floorLatency, load);
        Progress.Line($"  {row.ProducedPerSecond:0.0} activities/s → {row.EventsPerSecond:0} events/s delivered, p50 {Format.Ms(row.Latency.P50)} ms, " +
            $"p99 {Format.Ms(row.Latency.P99)} ms, {row.Missed} missed, {duplicates} duplicates, {dropped} streams dropped, {producerErrors} insert errors; " +
            $"CPU server {cpu.Server.TotalSeconds:0.0} s / PostgreSQL {cpu.Postgres.TotalSeconds:0.0} s / driver {driver.TotalSeconds:0.0} s");
        return row;
    }

    /// <summary>
    /// Inserts on a fixed schedule, each insert started when due without waiting for the one before (activity comes
    /// from independent users, and a slow COMMIT on a busy disk must not lower the rate), at most
    /// <see cref="InFlight"/> at once. The window's count says what rate was really offered.
    /// </summary>
    private static async Task ProduceAsync(FeedDataset dataset, int perSecond, Func<int> nextNumber, Action<int> inserted, Action<Exception> failed, CancellationToken stop)
    {
        var interval = Stopwatch.Frequency / perSecond;
        var due = Stopwatch.GetTimestamp();
        using var slots = new SemaphoreSlim(InFlight);
        var running = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stop);
                }
                await slots.WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            running.RemoveAll(t => t.IsCompleted);
            running.Add(InsertAsync(nextNumber()));
            due += interval;
        }
        await Task.WhenAll(running);

        async Task InsertAsync(int number)
        {
            try
            {
                await dataset.AddNumberedActivityAsync(number, CancellationToken.None);
                inserted(number);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                failed(ex);
            }
            finally
            {
                slots.Release();
            }
        }
    }
}
