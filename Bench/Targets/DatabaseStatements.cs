using BlazorJobs.Bench.Client;
using BlazorJobs.Bench.Database;
using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;

namespace BlazorJobs.Bench.Targets;

/// <summary>What M jobs cost in statements without streams and with one stream each.</summary>
internal sealed record PerStream(int JobMs, int Jobs, long Without, long With, double MidRateWithout, double MidRateWith, long Listeners,
    IReadOnlyList<(string Query, long Extra)> Extra)
{
    /// <summary>Every extra statement of the wave with streams, per stream.</summary>
    public double Raw => (double)(With - Without) / Jobs;

    /// <summary>
    /// The worker's claim attempts that one wave made more than the other. Each NOTIFY of an enqueue wakes
    /// the worker, and each wake-up ends with a claim that finds nothing, so how many there are depends on
    /// how the wake-ups fall against the claims — the machine's timing, not the streams (which never wake it).
    /// </summary>
    public double WorkerClaims => (double)Extra.Where(e => e.Query.Contains("SKIP LOCKED", StringComparison.OrdinalIgnoreCase)).Sum(e => e.Extra) / Jobs;

    /// <summary>What the streams themselves cost: the judged figure.</summary>
    public double PerStreamStatements => Raw - WorkerClaims;

    /// <summary>The part that is Npgsql resetting a pooled connection before its next use (DISCARD ALL).</summary>
    public double PerStreamPoolResets => (double)Extra.Where(e => e.Query.Trim().Equals(DatabaseStatementsReport.PoolReset, StringComparison.OrdinalIgnoreCase)).Sum(e => e.Extra) / Jobs;
}

/// <summary>Statements per second while this many streams wait.</summary>
internal sealed record WaitingLevel(int Streams, double StatementsPerSecond, long Listeners);

/// <summary>
/// Target 3: what a waiting stream costs the database, counted by <c>pg_stat_statements</c>: per
/// stream over a whole short and a whole long job, and per second while thousands of streams wait;
/// plus the one LISTEN connection.
/// </summary>
public static class DatabaseStatements
{
    private const int WorkerSlots = 256;

    public static async Task<ReportSection> RunAsync(BenchContext context)
    {
        var options = context.Options;
        var perStream = new List<PerStream>();
        foreach (var jobMs in new[] { options.ShortJobMs, options.LongJobMs })
        {
            perStream.Add(await MeasurePerStreamAsync(context, jobMs));
        }
        var (levels, waitingQueries) = await MeasureWaitingStreamsAsync(context);
        return DatabaseStatementsReport.Describe(perStream, levels, waitingQueries, options);
    }

    /// <summary>The same wave of jobs twice: once with nobody watching, once with a stream per job. The difference is the streams'.</summary>
    private static async Task<PerStream> MeasurePerStreamAsync(BenchContext context, int jobMs)
    {
        var jobs = Math.Min(context.Options.StatementJobs, WorkerSlots);
        await using var scenario = await Scenario.StartAsync(context, new ServerConfig($"statements, {jobMs / 1000.0:0.#} s jobs", jobMs, WorkerSlots), warmUp: false);
        var listeners = await scenario.Probe.ListenerConnectionsAsync();
        Progress.Line($"target 3: {jobs} jobs of {jobMs / 1000.0:0.#} s without streams, then with one stream each");
        var without = await CountWaveAsync(scenario, jobs, Delivery.None, jobMs);
        var with = await CountWaveAsync(scenario, jobs, Delivery.Sse, jobMs);
        var result = new PerStream(jobMs, jobs, without.Total, with.Total, without.MidRate, with.MidRate, listeners, Difference(with.ByQuery, without.ByQuery));
        Progress.Line($"  {without.Total} statements without streams, {with.Total} with: {result.Raw:0.00} per stream, {result.PerStreamStatements:0.00} without the worker's extra claim attempts");
        return result;
    }

    private static async Task<(long Total, double MidRate, IReadOnlyList<StatementCount> ByQuery)> CountWaveAsync(Scenario scenario, int jobs, Delivery delivery, int jobMs)
    {
        var probe = scenario.Probe;
        await probe.ResetStatementsAsync();
        var started = DateTimeOffset.UtcNow;
        var midRate = double.NaN;
        var wave = await new Wave(scenario, jobs, delivery, waitAfterEnqueues: true).RunAsync(async () =>
        {
            // While every client waits and no job has finished yet: what does waiting cost per second?
            var from = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
            var to = started + TimeSpan.FromMilliseconds(jobMs) - TimeSpan.FromSeconds(3);
            if (to - from >= TimeSpan.FromSeconds(5))
            {
                await Task.Delay(from - DateTimeOffset.UtcNow);
                var before = await probe.StatementsAsync();
                await Task.Delay(to - from);
                midRate = (await probe.StatementsAsync() - before) / (to - from).TotalSeconds;
            }
        });
        if (wave.Answered != jobs || wave.Errors > 0)
        {
            Console.Error.WriteLine($"  ! {delivery.Name}: {wave.Answered} of {jobs} answered, {wave.Errors} errors");
        }
        return (await probe.StatementsAsync(), midRate, await probe.StatementsByQueryAsync());
    }

    private static List<(string Query, long Extra)> Difference(IReadOnlyList<StatementCount> with, IReadOnlyList<StatementCount> without)
    {
        var baseline = without.GroupBy(s => s.QueryId).ToDictionary(g => g.Key, g => g.Sum(s => s.Calls));
        return with.Select(s => (Query: s.Query, Extra: s.Calls - baseline.GetValueOrDefault(s.QueryId)))
            .Where(d => d.Extra != 0).OrderByDescending(d => Math.Abs(d.Extra)).ToList();
    }

    /// <summary>
    /// Streams that wait and wait: the worker is disabled in this server, so every job stays PENDING and
    /// nothing but the streams themselves could make the database work.
    /// </summary>
    private static async Task<(List<WaitingLevel> Levels, IReadOnlyList<(string Query, long Extra)> Queries)> MeasureWaitingStreamsAsync(BenchContext context)
    {
        var options = context.Options;
        await using var scenario = await Scenario.StartAsync(context, new ServerConfig("waiting streams", 60_000, 1, WorkerEnabled: false), warmUp: false);
        var open = new List<(Visitor Visitor, Accepted Job, JobStream Stream, Task Reading)>();
        var levels = new List<WaitingLevel>();
        IReadOnlyList<(string, long)> queries = [];
        try
        {
            foreach (var size in options.WaitingStreamSizes.Prepend(0))
            {
                if (size > open.Count)
                {
                    Progress.Line($"target 3: opening streams up to {size} waiting");
                    open.AddRange(await OpenWaitingStreamsAsync(scenario, open.Count, size - open.Count));
                }
                await Task.Delay(TimeSpan.FromSeconds(1)); // let the last opens' statements land before the window
                var before = await scenario.Probe.StatementsByQueryAsync();
                var count = await scenario.Probe.StatementsAsync();
                await Task.Delay(options.StatementWindow);
                var rate = (await scenario.Probe.StatementsAsync() - count) / options.StatementWindow.TotalSeconds;
                queries = Difference(await scenario.Probe.StatementsByQueryAsync(), before);
                var listeners = await scenario.Probe.ListenerConnectionsAsync();
                levels.Add(new WaitingLevel(size, rate, listeners));
                Progress.Line($"  {size} waiting: {rate:0.00} statements/s, {listeners} LISTEN connection(s)");
            }
        }
        finally
        {
            await CloseAsync(scenario, open);
        }
        return (levels, queries);
    }

    private static async Task<List<(Visitor, Accepted, JobStream, Task)>> OpenWaitingStreamsAsync(Scenario scenario, int first, int count)
    {
        var opened = new List<(Visitor, Accepted, JobStream, Task)>();
        await Parallel.ForEachAsync(Enumerable.Range(first, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (index, cancellationToken) =>
        {
            var visitor = scenario.Visitors[index % scenario.Visitors.Length];
            var job = await scenario.Client.EnqueueAsync(visitor, $"Waiting question {index}", cancellationToken);
            var stream = await scenario.Client.OpenStreamAsync(visitor, job.StreamUrl, CancellationToken.None);
            // Keep reading (heartbeats) so the stream is a live, healthy one until it is closed.
            var reading = KeepReadingAsync(stream);
            lock (opened)
            {
                opened.Add((visitor, job, stream, reading));
            }
        });
        return opened;
    }

    private static async Task KeepReadingAsync(JobStream stream)
    {
        try
        {
            await stream.ReadToTerminalAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or HttpRequestException or OperationCanceledException)
        {
            // Closed by the clean-up, or the server went away: either way this stream is over.
        }
    }

    /// <summary>Leaves nothing behind: the queued jobs are cancelled in the table, then the client drops its streams.</summary>
    private static async Task CloseAsync(Scenario scenario, List<(Visitor Visitor, Accepted Job, JobStream Stream, Task Reading)> open)
    {
        if (open.Count == 0)
        {
            return;
        }
        Progress.Line($"target 3: cancelling {await scenario.Probe.CancelQueuedJobsAsync()} queued jobs and closing {open.Count} streams");
        foreach (var entry in open)
        {
            await entry.Stream.DisposeAsync();
        }
        await Task.WhenAny(Task.WhenAll(open.Select(o => o.Reading)), Task.Delay(TimeSpan.FromSeconds(30)));
    }
}
