using System.Diagnostics;
using System.Globalization;
using System.Net.ServerSentEvents;
using BlazorJobs.Bench.Client;
using BlazorJobs.Bench.Database;
using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;

namespace BlazorJobs.Bench.Targets;

/// <summary>
/// Target 5b: that many answers streaming at all times, each a delta every <c>FanOutDeltaIntervalMs</c>: every
/// delta is one notifying commit (<c>JobProgressWriter</c> flushes at most every 75 ms, so 100 ms deltas are
/// never merged). Each client asks, reads its answer's stream to the end, and asks again at once; the first
/// questions are spread over one answer's duration so the answers do not all end (and restart) together.
/// </summary>
/// <remarks>
/// A delta event has no timestamp of its own, so the server runs with <c>Tutor:Synthetic:StampDeltas</c>: the
/// synthetic tutor writes the time it produced each delta into the delta's text (<c>part3@&lt;ticks&gt; </c>).
/// Latency is the client's receive time minus that stamp: the tutor's token to the client's parsed event, the
/// worker's write, its COMMIT and PostgreSQL's notification included. The text also says which parts arrived,
/// so a missed delta shows as a missing part of a completed answer.
/// </remarks>
internal static class AnswerFanOut
{
    public static async Task<List<FanOutRow>> RunAsync(BenchContext context)
    {
        var rows = new List<FanOutRow>();
        foreach (var answers in context.Options.FanOutAnswers.Order())
        {
            rows.Add(await MeasureAsync(context, answers));
        }
        return rows;
    }

    private static async Task<FanOutRow> MeasureAsync(BenchContext context, int answers)
    {
        var options = context.Options;
        var deltas = options.FanOutDeltasPerAnswer;
        var duration = TimeSpan.FromMilliseconds(options.FanOutDeltaIntervalMs * deltas);
        // One worker slot per answer: every question is answered at once, so that many stream at every moment.
        var config = new ServerConfig($"fan-out: {answers} answers", (int)duration.TotalMilliseconds, answers, Deltas: deltas)
        {
            Settings = new Dictionary<string, string> { ["Tutor__Synthetic__StampDeltas"] = "true" },
        };
        await using var scenario = await Scenario.StartAsync(context, config, warmUp: true);
        var load = MachineInfo.LoadAverage();
        Progress.Line($"target 5b: {answers} answers streaming, a delta every {options.FanOutDeltaIntervalMs} ms ({deltas} per answer), " +
            $"{duration.TotalSeconds:0} s to fill, {options.FanOutWarmup.TotalSeconds:0} s warm-up, {options.FanOutWindow.TotalSeconds:0} s measured (load {load})");

        var samples = new Samples();
        var problems = new ProblemLog($"{answers} streaming answers");
        var current = new Guid?[answers];
        long delivered = 0, partsMissed = 0, partsExpected = 0, closedEarly = 0;
        var stopping = false;
        using var abort = new CancellationTokenSource();

        async Task ClientAsync(int index)
        {
            var visitor = scenario.Visitors[index % scenario.Visitors.Length];
            await Task.Delay(duration * index / answers, abort.Token);
            while (!Volatile.Read(ref stopping))
            {
                try
                {
                    var job = await scenario.Client.EnqueueAsync(visitor, $"Fan-out question {index}", abort.Token);
                    lock (current)
                    {
                        current[index] = job.JobId;
                    }
                    await using var stream = await scenario.Client.OpenStreamAsync(visitor, job.StreamUrl, abort.Token);
                    var parts = new HashSet<int>();
                    var outcome = await stream.ReadToTerminalAsync(abort.Token, (item, receivedAt) =>
                    {
                        if (item.EventType == "delta" && ReadParts(item, receivedAt, parts, samples) && samples.Recording)
                        {
                            Interlocked.Increment(ref delivered);
                        }
                    });
                    if (outcome.Terminal == "completed")
                    {
                        Interlocked.Add(ref partsExpected, deltas);
                        Interlocked.Add(ref partsMissed, deltas - parts.Count);
                    }
                    else if (!Volatile.Read(ref stopping))
                    {
                        Interlocked.Increment(ref closedEarly);
                        problems.Add(new InvalidOperationException($"An answer's stream ended with {outcome.Terminal}, not completed."));
                    }
                }
                catch (OperationCanceledException) when (abort.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    samples.Error();
                    problems.Add(ex);
                    await Task.Delay(500, CancellationToken.None);
                }
            }
        }

        var clients = Enumerable.Range(0, answers).Select(i => Task.Run(() => ClientAsync(i))).ToArray();
        await Task.Delay(duration + options.FanOutWarmup);

        var windowStart = DateTimeOffset.UtcNow;
        var cpuBefore = scenario.Server.Cpu();
        var driverBefore = FanOut.DriverCpu();
        using var windowOpen = new CancellationTokenSource();
        var waits = WaitEventSampler.SampleAsync(scenario.Probe.ConnectionString, WaitEventSampler.AppSessions, windowOpen.Token);
        samples.Recording = true;
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(options.FanOutWindow);
        samples.Recording = false;
        await windowOpen.CancelAsync();
        var profile = await waits;
        var window = Stopwatch.GetElapsedTime(started);
        var cpu = scenario.Server.Cpu() - cpuBefore;
        var driver = FanOut.DriverCpu() - driverBefore;
        var windowEnd = windowStart + window;

        // Every answer still running is cancelled through the API (the next server shares this database, and
        // its worker must not pick up leftovers); their streams then end with `cancelled`.
        Volatile.Write(ref stopping, true);
        await Parallel.ForEachAsync(Enumerable.Range(0, answers), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (index, _) =>
        {
            Guid? jobId;
            lock (current)
            {
                jobId = current[index];
            }
            if (jobId is { } id)
            {
                try
                {
                    await scenario.Client.CancelAsync(scenario.Visitors[index % scenario.Visitors.Length], id, CancellationToken.None);
                }
                catch (HttpRequestException)
                {
                    // Finished meanwhile; its client leaves on its own.
                }
            }
        });
        var all = Task.WhenAll(clients);
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30))) != all)
        {
            await abort.CancelAsync();
        }
        await Task.WhenAll(clients.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
        await scenario.Probe.CancelQueuedJobsAsync();
        problems.Summarize();

        var commits = await scenario.Probe.JobEventsBetweenAsync(windowStart, windowEnd);
        var latency = samples.Summary();
        // Expected events: what the window's deltas should have brought. Missed parts are counted over every answer
        // that completed during the run, so they are scaled to the window's share to sit beside it.
        var missedInWindow = partsExpected == 0 ? 0 : (long)Math.Round((double)partsMissed / partsExpected * delivered);
        var row = new FanOutRow("answers", answers, commits, delivered + missedInWindow, delivered, 0, (int)closedEarly,
            latency, cpu, driver, window, null, load) { Waits = profile };
        Progress.Line($"  {row.ProducedPerSecond:0} notifying commits/s, {row.EventsPerSecond:0} deltas/s delivered, p50 {Format.Ms(latency.P50)} ms, " +
            $"p99 {Format.Ms(latency.P99)} ms, {partsMissed} of {partsExpected} parts missed over the run, {closedEarly} streams ended early, {samples.Errors} errors; " +
            $"CPU server {cpu.Server.TotalSeconds:0.0} s / PostgreSQL {cpu.Postgres.TotalSeconds:0.0} s / driver {driver.TotalSeconds:0.0} s; " +
            $"the app's sessions: {profile.MeanActive:0.0} active on average, {profile.Top(3)}");
        return row;
    }

    /// <summary>
    /// Reads the parts of one delta (<c>{"text":"part3@638… "}</c>; two parts if the writer ever merged them), times
    /// each from its stamp, and notes which parts arrived. False when the delta carried no stamped part.
    /// </summary>
    private static bool ReadParts(SseItem<string> item, DateTimeOffset receivedAt, HashSet<int> parts, Samples samples)
    {
        var any = false;
        var text = item.Data.AsSpan();
        for (var at = text.IndexOf("part", StringComparison.Ordinal); at >= 0; at = NextPart(text, at))
        {
            var rest = text[(at + 4)..];
            var stamp = rest.IndexOf('@');
            var end = rest.IndexOfAny(' ', '"');
            if (stamp <= 0 || end <= stamp
                || !int.TryParse(rest[..stamp], NumberStyles.None, CultureInfo.InvariantCulture, out var part)
                || !long.TryParse(rest[(stamp + 1)..end], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                continue;
            }
            parts.Add(part);
            samples.Add(receivedAt - new DateTimeOffset(ticks, TimeSpan.Zero));
            any = true;
        }
        return any;
    }

    private static int NextPart(ReadOnlySpan<char> text, int at)
    {
        var next = text[(at + 4)..].IndexOf("part", StringComparison.Ordinal);
        return next < 0 ? -1 : at + 4 + next;
    }
}
