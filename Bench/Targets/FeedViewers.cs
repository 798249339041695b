using System.Diagnostics;
using BlazorJobs.Bench.Client;
using BlazorJobs.Bench.Database;
using BlazorJobs.Bench.Measure;

namespace BlazorJobs.Bench.Targets;

/// <summary>One window of viewers reloading the feed: what the database ran for them.</summary>
/// <param name="CallsBySource">Page-query calls per source in the window (one set = one call of each).</param>
/// <param name="Allowed">The most sets the target allows in this window.</param>
internal sealed record ViewerWindow(int Viewers, bool Activity, TimeSpan Window, int ActivityLanded, IReadOnlyDictionary<string, long> CallsBySource,
    long Requests, long Errors, LatencySummary Latency, long Allowed)
{
    public long Sets => CallsBySource.Values.DefaultIfEmpty(0).Max();
    public long FewestCalls => CallsBySource.Values.DefaultIfEmpty(0).Min();
    public bool Met => Sets <= Allowed;
}

/// <summary>
/// Target 7's cost side: 1 and then many viewers reload the first page for a window, with no activity
/// and with activity landing every 200 ms, while <c>pg_stat_statements</c> counts the source queries.
/// </summary>
internal static class FeedViewers
{
    /// <summary>The server's <c>Feed:InvalidateAtMostEverySeconds</c> default, which the benchmark leaves as shipped.</summary>
    private static readonly TimeSpan InvalidateAtMostEvery = TimeSpan.FromSeconds(1);

    public static async Task<List<ViewerWindow>> RunAsync(Scenario scenario, FeedDataset dataset, BenchOptions options)
    {
        var windows = new List<ViewerWindow>();
        foreach (var activity in new[] { false, true })
        {
            foreach (var viewers in new[] { 1, options.FeedViewers })
            {
                windows.Add(await RunWindowAsync(scenario, dataset, options, viewers, activity));
            }
        }
        return windows;
    }

    private static async Task<ViewerWindow> RunWindowAsync(Scenario scenario, FeedDataset dataset, BenchOptions options, int viewers, bool activity)
    {
        Progress.Line($"target 7: {viewers} viewer(s) reloading every {options.FeedViewerInterval.TotalMilliseconds:0} ms for {options.FeedViewerWindow.TotalSeconds:0} s, " +
            (activity ? $"activity every {options.FeedActivityInterval.TotalMilliseconds:0} ms" : "no activity"));
        using var stopActivity = new CancellationTokenSource();
        var landed = 0;
        var landing = Task.CompletedTask;
        if (activity)
        {
            landing = LandActivityAsync(dataset, options.FeedActivityInterval, () => Interlocked.Increment(ref landed), stopActivity.Token);
            // Into the steady state: drops already come at the throttle's pace when the window opens.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }
        else
        {
            // The window opens on an empty cache, so its one expected set is visible; the wait outlasts the throttle.
            await dataset.AddActivityAsync();
            await Task.Delay(InvalidateAtMostEvery + TimeSpan.FromMilliseconds(300));
        }

        await scenario.Probe.ResetStatementsAsync();
        var landedBefore = Volatile.Read(ref landed);
        var samples = new Samples { Recording = true };
        var problems = new ProblemLog($"{viewers} feed viewers");
        long requests = 0;
        using var client = new FeedClient(scenario.Server.BaseAddress);
        using var window = new CancellationTokenSource(options.FeedViewerWindow);
        var loops = Enumerable.Range(0, viewers).Select(index => ViewAsync(client, index, options.FeedViewerInterval, samples, problems, () => Interlocked.Increment(ref requests), window.Token)).ToList();
        await Task.WhenAll(loops);
        var landedInWindow = Volatile.Read(ref landed) - landedBefore;
        var statements = await scenario.Probe.StatementsByQueryAsync();
        await stopActivity.CancelAsync();
        await landing;
        problems.Summarize();

        var allowed = activity ? (long)Math.Floor(options.FeedViewerWindow / InvalidateAtMostEvery) + 1 : 1;
        var result = new ViewerWindow(viewers, activity, options.FeedViewerWindow, landedInWindow, FeedSourceQueries.CallsBySource(statements),
            Interlocked.Read(ref requests), samples.Errors, samples.Summary(), allowed);
        Progress.Line($"  {result.Sets} set(s) of source queries ({result.CallsBySource.Count} sources, {result.FewestCalls}–{result.Sets} calls each), " +
            $"{result.Requests} requests, p50 {Format.Ms(result.Latency.P50)} ms, {result.Errors} errors, {landedInWindow} activities landed");
        if (result.CallsBySource.Count == 0)
        {
            // Either no miss happened or the statements' text no longer looks like a source query: show what ran.
            foreach (var statement in statements.Take(5))
            {
                Progress.Line($"    ran {statement.Calls} × {statement.Query.ReplaceLineEndings(" ")[..Math.Min(statement.Query.Length, 120)]}");
            }
        }
        return result;
    }

    /// <summary>
    /// A viewer: reloads the page on its own schedule from a random phase (viewers do not arrive in step);
    /// even viewers read the stream, odd ones the JSON page, as the feed page and the compact feed do.
    /// </summary>
    private static async Task ViewAsync(FeedClient client, int index, TimeSpan interval, Samples samples, ProblemLog problems, Action sent, CancellationToken stop)
    {
        var next = Stopwatch.GetTimestamp() + (long)(Random.Shared.NextDouble() * interval.TotalSeconds * Stopwatch.Frequency);
        while (!stop.IsCancellationRequested)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero && !await DelayAsync(wait, stop))
            {
                return;
            }
            next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
            try
            {
                sent();
                var elapsed = index % 2 == 0 ? (await client.StreamPageAsync(stop)).Complete : (await client.GetPageAsync(stop)).Complete;
                samples.Add(elapsed);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                samples.Error();
                problems.Add(ex);
            }
        }
    }

    private static async Task LandActivityAsync(FeedDataset dataset, TimeSpan interval, Action landed, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                await dataset.AddActivityAsync();
                landed();
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static async Task<bool> DelayAsync(TimeSpan wait, CancellationToken stop)
    {
        try
        {
            await Task.Delay(wait, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
