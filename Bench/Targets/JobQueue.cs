using System.Collections.Concurrent;
using System.Diagnostics;
using BlazorJobs.Bench.Client;
using BlazorJobs.Bench.Database;
using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;
using Npgsql;

namespace BlazorJobs.Bench.Targets;

/// <summary>Database-side counters read around a phase (after the statistics collector has caught up).</summary>
internal readonly record struct DbCounters(long Commits, long WalSyncs, double WalSyncMs)
{
    public static DbCounters operator -(DbCounters after, DbCounters before) =>
        new(after.Commits - before.Commits, after.WalSyncs - before.WalSyncs, after.WalSyncMs - before.WalSyncMs);

    /// <summary>The mean time of one WAL flush (fdatasync) over the phase.</summary>
    public double MeanWalSyncMs => WalSyncs > 0 ? WalSyncMs / WalSyncs : double.NaN;
}

/// <summary>One throughput phase: a batch of jobs from enqueue (or release) to completed.</summary>
/// <param name="EnqueuePerSecond">HTTP enqueues per second while the batch went in (end-to-end phase only).</param>
/// <param name="JobsPerSecond">Completed jobs ÷ (last <c>completed_at</c> − the phase's start: first <c>created_at</c> end-to-end, first <c>started_at</c> for a drain).</param>
/// <param name="HeardPerJob">Notifications on <c>job_events</c> per job, as the benchmark's LISTEN connection heard them: notifying commits per job.</param>
/// <param name="EventsPerJob">The event rows per job by type ("status PENDING" 1, …).</param>
/// <param name="Db">Commits and WAL flushes in the whole database during the phase (pg_stat_database, pg_stat_wal).</param>
internal sealed record ThroughputRow(int Slots, string Phase, string Worker, int Jobs, int Completed, double Seconds, double JobsPerSecond,
    double EnqueuePerSecond, double HeardPerJob, double WakeUpsPerJob, long OtherNotifications, IReadOnlyList<(string Type, double PerJob)> EventsPerJob,
    DbCounters Db, double ServerCores, double PostgresCores, double BenchCores);

/// <param name="InsertToClaim"><c>started_at − created_at</c> of each job (the database's clock).</param>
/// <param name="SentToProcessing">The bench's clock: enqueue request sent → the claim's PROCESSING notification heard.</param>
internal sealed record WakeUpRow(string Worker, LatencySummary InsertToClaim, LatencySummary? SentToProcessing);

/// <summary>The busiest statements of a phase (pg_stat_statements).</summary>
internal sealed record StatementTime(string Query, long Calls, double MeanMs, double TotalMs);

/// <param name="Concurrencies">The app's slots (and the bare loop's connections) of each server, the first being the one the verdicts read.</param>
internal sealed record JobQueueResult(
    int[] Concurrencies, List<ThroughputRow> Throughput, WakeUpRow AppWakeUp, WakeUpRow PollerWakeUp,
    List<(int Slots, string Worker, IReadOnlyList<StatementTime> Rows)> Statements)
{
    public IEnumerable<ThroughputRow> Drains(int slots, string worker) =>
        Throughput.Where(r => r.Slots == slots && r.Worker == worker && r.Phase.StartsWith("drain", StringComparison.Ordinal));

    /// <summary>Completed jobs ÷ seconds over all of a worker's drains at a concurrency.</summary>
    public double DrainRate(int slots, string worker) => Drains(slots, worker).Sum(r => r.Completed) / Drains(slots, worker).Sum(r => r.Seconds);
}

/// <summary>
/// Target 6: the job queue. The real server with a zero-time synthetic tutor: how many jobs a second go from
/// the enqueue to <c>completed</c>, how many notifying commits each costs, how soon an idle worker claims a new
/// job (woken by NOTIFY), and how the app's worker compares with a bare Npgsql SKIP LOCKED loop making the same
/// writes; against a worker that polls every second and that bare loop, in the same run.
/// </summary>
public static class JobQueue
{
    private const string Tag = "/* bench-probe */";
    internal static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    internal const string AppWorker = "app (JobWorker)";
    internal const string BareWorker = "bare SKIP LOCKED loop";

    public static async Task<ReportSection> RunAsync(BenchContext context)
    {
        var options = context.Options;
        var throughput = new List<ThroughputRow>();
        WakeUpRow? appWakeUp = null, pollerWakeUp = null;
        var statements = new List<(int Slots, string Worker, IReadOnlyList<StatementTime> Rows)>();
        foreach (var slots in options.QueueConcurrency)
        {
            await RunConfigurationAsync(context, slots, measureWakeUps: appWakeUp is null, throughput, statements, (app, poller) =>
            {
                appWakeUp = app;
                pollerWakeUp = poller;
            });
        }
        return JobQueueReport.Describe(new JobQueueResult(options.QueueConcurrency, throughput, appWakeUp!, pollerWakeUp!, statements), options);
    }

    /// <summary>One server with <c>Worker:Concurrency</c> = <paramref name="slots"/>: (the wake-ups,) enqueue → completed, and the drains.</summary>
    private static async Task RunConfigurationAsync(BenchContext context, int slots, bool measureWakeUps, List<ThroughputRow> throughput,
        List<(int Slots, string Worker, IReadOnlyList<StatementTime> Rows)> statements, Action<WakeUpRow, WakeUpRow> wakeUps)
    {
        var options = context.Options;
        // DurationMs 0: the synthetic tutor answers at once (with its one delta, which the app writes as an event).
        var config = new ServerConfig($"job queue, {slots} slots", JobDurationMs: 0, WorkerConcurrency: slots, Deltas: 1)
        {
            // PostgreSQL's own setting (not the app's): times each WAL flush, so pg_stat_wal says what a commit waits for.
            Settings = new Dictionary<string, string> { ["EmbeddedPostgres__Settings__track_wal_io_timing"] = "on" },
        };
        await using var scenario = await Scenario.StartAsync(context, config, warmUp: true);
        await using var listener = await QueueListener.OpenAsync(scenario.Probe.ConnectionString);
        await using var db = new NpgsqlConnection(scenario.Probe.ConnectionString);
        await db.OpenAsync();
        await ExecuteAsync(db, QueueSql.CreateHold);
        try
        {
            var run = new Run(scenario, listener, db, options, slots);

            Progress.Line($"target 6: warming up (the app's worker on {options.QueueWarmupJobs} jobs, the bare loop on as many)");
            await run.EnqueueAndAwaitAsync(options.QueueWarmupJobs, held: false, "warm-up");
            var warm = await run.EnqueueAsync(options.QueueWarmupJobs, held: true, "warm-up (bare)");
            await BareQueueWorker.DrainAsync(scenario.Probe.ConnectionString, slots, CancellationToken.None);
            await run.AwaitAsync(warm, "warm-up (bare)");

            if (measureWakeUps)
            {
                wakeUps(await run.AppWakeUpAsync(options.QueueWakeUps), await run.PollerWakeUpAsync(options.QueuePollJobs));
            }

            throughput.Add(await run.EndToEndAsync(options.QueueJobs));
            for (var round = 0; round < options.QueueRounds; round++)
            {
                // Alternating which goes first, so neither always meets the other's dead rows (autovacuum catches up in between).
                foreach (var app in round % 2 == 0 ? new[] { true, false } : [false, true])
                {
                    throughput.Add(app ? await run.AppDrainAsync(options.QueueJobs, round + 1) : await run.BareDrainAsync(options.QueueJobs, round + 1));
                    if (round == 0)
                    {
                        statements.Add((slots, app ? Run.AppWorker : Run.BareWorker, await TopStatementsAsync(db)));
                    }
                }
            }
        }
        finally
        {
            await ExecuteAsync(db, QueueSql.DropHold);
        }
    }

    /// <summary>The phases, sharing the server, the listener and the benchmark's own connection.</summary>
    private sealed class Run(Scenario scenario, QueueListener listener, NpgsqlConnection db, BenchOptions options, int slots)
    {
        public const string AppWorker = JobQueue.AppWorker;
        public const string BareWorker = JobQueue.BareWorker;

        private int _questions;

        /// <summary>Idle insert → claim with the app's worker: single jobs over HTTP, each finished before the next is sent.</summary>
        public async Task<WakeUpRow> AppWakeUpAsync(int count)
        {
            Progress.Line($"target 6: idle insert → claim, the app's worker (NOTIFY): {count} single jobs, 20-60 ms apart");
            var ids = new List<Guid>();
            var sentToProcessing = new List<TimeSpan>();
            var visitor = scenario.Visitors[0];
            for (var i = 0; i < count; i++)
            {
                // Apart: the last job is finished and the claim loop has gone back to sleep on its signal.
                await Task.Delay(TimeSpan.FromMilliseconds(20 + Random.Shared.Next(40)));
                var sent = DateTimeOffset.UtcNow;
                var job = await scenario.Client.EnqueueAsync(visitor, Question(held: false), CancellationToken.None);
                ids.Add(job.JobId);
                var heard = listener.Job(job.JobId);
                await heard.Terminal.Task.WaitAsync(TimeSpan.FromSeconds(30));
                if (heard.ProcessingAt is { } processing)
                {
                    sentToProcessing.Add(processing - sent);
                }
            }
            var row = new WakeUpRow(AppWorker, LatencySummary.Of(await ClaimDelaysAsync(ids)), LatencySummary.Of(sentToProcessing));
            Progress.Line($"  insert → claim p50 {Format.Ms(row.InsertToClaim.P50)} ms, p95 {Format.Ms(row.InsertToClaim.P95)} ms, max {Format.Ms(row.InsertToClaim.Max)} ms " +
                $"({row.InsertToClaim.Count} jobs); request sent → PROCESSING heard p50 {Format.Ms(row.SentToProcessing!.P50)} ms");
            return row;
        }

        /// <summary>The same with a bare worker that polls every second (the jobs are held from the app's worker).</summary>
        public async Task<WakeUpRow> PollerWakeUpAsync(int count)
        {
            Progress.Line($"target 6: idle insert → claim, a bare worker polling every {PollInterval.TotalSeconds:0} s: {count} single jobs, 100-400 ms apart");
            using var stop = new CancellationTokenSource();
            var poller = BareQueueWorker.PollAsync(scenario.Probe.ConnectionString, PollInterval, stop.Token);
            var ids = new List<Guid>();
            var sentToProcessing = new ConcurrentBag<TimeSpan>();
            var waits = new List<Task>();
            var visitor = scenario.Visitors[1];
            for (var i = 0; i < count; i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 + Random.Shared.Next(300)));
                var sent = DateTimeOffset.UtcNow;
                var job = await scenario.Client.EnqueueAsync(visitor, Question(held: true), CancellationToken.None);
                ids.Add(job.JobId);
                var heard = listener.Job(job.JobId);
                waits.Add(heard.Terminal.Task.ContinueWith(_ =>
                {
                    if (heard.ProcessingAt is { } processing)
                    {
                        sentToProcessing.Add(processing - sent);
                    }
                }, TaskScheduler.Default));
            }
            await Task.WhenAll(waits).WaitAsync(PollInterval * 10);
            await stop.CancelAsync();
            await poller;
            var row = new WakeUpRow($"bare worker polling every {PollInterval.TotalSeconds:0} s", LatencySummary.Of(await ClaimDelaysAsync(ids)), LatencySummary.Of(sentToProcessing));
            Progress.Line($"  insert → claim p50 {Format.Ms(row.InsertToClaim.P50)} ms, p95 {Format.Ms(row.InsertToClaim.P95)} ms ({row.InsertToClaim.Count} jobs)");
            return row;
        }

        /// <summary>Enqueue → completed: the batch goes in over HTTP while the app's worker answers it.</summary>
        public async Task<ThroughputRow> EndToEndAsync(int count)
        {
            Progress.Line($"target 6: enqueue → completed, the app's worker ({scenario.Server.Config.WorkerConcurrency} slots): {count} jobs over HTTP from {options.QueueEnqueuers} clients");
            var before = await MarkAsync();
            var clock = Stopwatch.StartNew();
            var ids = await EnqueueAsync(count, held: false, "enqueue → completed");
            var enqueueSeconds = clock.Elapsed.TotalSeconds;
            await AwaitAsync(ids, "enqueue → completed");
            return await RowAsync("enqueue → completed", AppWorker, ids, before, fromCreated: true, ids.Length / enqueueSeconds);
        }

        /// <summary>The app's worker alone: a batch enqueued held, then released in one commit with one NOTIFY.</summary>
        public async Task<ThroughputRow> AppDrainAsync(int count, int round)
        {
            Progress.Line($"target 6: drain {round}, the app's worker ({scenario.Server.Config.WorkerConcurrency} slots): {count} queued jobs released at once");
            var ids = await EnqueueAsync(count, held: true, "drain (app)");
            var before = await MarkAsync();
            await scenario.Probe.ResetStatementsAsync();
            await ExecuteAsync(db, QueueSql.Release);
            await AwaitAsync(ids, "drain (app)");
            return await RowAsync($"drain {round}", AppWorker, ids, before, fromCreated: false, double.NaN);
        }

        /// <summary>The bare SKIP LOCKED loop on the same kind of batch, with as many connections as the app has slots.</summary>
        public async Task<ThroughputRow> BareDrainAsync(int count, int round)
        {
            var loops = slots;
            Progress.Line($"target 6: drain {round}, the bare SKIP LOCKED loop ({loops} connections): {count} queued jobs");
            var ids = await EnqueueAsync(count, held: true, "drain (bare)");
            var before = await MarkAsync();
            await scenario.Probe.ResetStatementsAsync();
            using var deadline = new CancellationTokenSource(Deadline(count));
            await BareQueueWorker.DrainAsync(scenario.Probe.ConnectionString, loops, deadline.Token);
            await AwaitAsync(ids, "drain (bare)");
            return await RowAsync($"drain {round}", BareWorker, ids, before, fromCreated: false, double.NaN);
        }

        public async Task EnqueueAndAwaitAsync(int count, bool held, string phase) => await AwaitAsync(await EnqueueAsync(count, held, phase), phase);

        /// <summary>Enqueues over HTTP (the landing guide's POST …/query) from <see cref="BenchOptions.QueueEnqueuers"/> clients at once.</summary>
        public async Task<Guid[]> EnqueueAsync(int count, bool held, string phase)
        {
            var ids = new Guid[count];
            var problems = new ProblemLog($"target 6, {phase}");
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = options.QueueEnqueuers }, async (i, ct) =>
            {
                try
                {
                    var job = await scenario.Client.EnqueueAsync(scenario.Visitors[i % scenario.Visitors.Length], Question(held), ct);
                    ids[i] = job.JobId;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    problems.Add(ex);
                }
            });
            problems.Summarize();
            return ids.Where(id => id != Guid.Empty).ToArray();
        }

        /// <summary>Waits for every job's terminal event (bounded: a stuck phase is measured as far as it got).</summary>
        public async Task AwaitAsync(Guid[] ids, string phase)
        {
            try
            {
                await Task.WhenAll(ids.Select(id => listener.Job(id).Terminal.Task)).WaitAsync(Deadline(ids.Length));
            }
            catch (TimeoutException)
            {
                Console.Error.WriteLine($"  ! target 6, {phase}: not every job finished within {Deadline(ids.Length).TotalSeconds:0} s; measured as far as it got");
            }
            await QueueListener.SettleAsync();
        }

        private static TimeSpan Deadline(int jobs) => TimeSpan.FromSeconds(30 + jobs / 20.0);

        private string Question(bool held) => $"{(held ? QueueSql.HeldMarker : "")}Queue benchmark question {Interlocked.Increment(ref _questions)}";

        private sealed record Mark(DbCounters Db, CpuSample Cpu, TimeSpan BenchCpu, long WakeUps, long Other, long Ticks);

        private async Task<Mark> MarkAsync() =>
            new(await CountersAsync(), scenario.Server.Cpu(), Process.GetCurrentProcess().TotalProcessorTime, listener.Enqueued, listener.Other, Stopwatch.GetTimestamp());

        private async Task<ThroughputRow> RowAsync(string phase, string worker, Guid[] ids, Mark before, bool fromCreated, double enqueuePerSecond)
        {
            var wall = Stopwatch.GetElapsedTime(before.Ticks).TotalSeconds;
            var cpu = scenario.Server.Cpu() - before.Cpu;
            var benchCpu = Process.GetCurrentProcess().TotalProcessorTime - before.BenchCpu;
            var wakeUps = listener.Enqueued - before.WakeUps;
            var other = listener.Other - before.Other;
            var heard = listener.EventsOf(ids);
            var db = await CountersAsync() - before.Db;

            await using var span = Command(QueueSql.Span);
            span.Parameters.AddWithValue("ids", ids);
            await using var reader = await span.ExecuteReaderAsync();
            await reader.ReadAsync();
            var completed = (int)reader.GetInt64(0);
            var start = reader.IsDBNull(fromCreated ? 1 : 2) ? DateTime.MinValue : reader.GetDateTime(fromCreated ? 1 : 2);
            var end = reader.IsDBNull(3) ? DateTime.MinValue : reader.GetDateTime(3);
            await reader.DisposeAsync();
            var seconds = (end - start).TotalSeconds;

            var events = new List<(string, double)>();
            await using (var byType = Command(QueueSql.EventsByType))
            {
                byType.Parameters.AddWithValue("ids", ids);
                await using var rows = await byType.ExecuteReaderAsync();
                while (await rows.ReadAsync())
                {
                    events.Add((rows.GetString(0), (double)rows.GetInt64(1) / ids.Length));
                }
            }
            var row = new ThroughputRow(slots, phase, worker, ids.Length, completed, seconds, completed / seconds, enqueuePerSecond,
                (double)heard / ids.Length, (double)wakeUps / ids.Length, other, events, db,
                cpu.Server.TotalSeconds / wall, cpu.Postgres.TotalSeconds / wall, benchCpu.TotalSeconds / wall);
            Progress.Line($"  {completed} of {ids.Length} completed in {seconds:0.00} s: {row.JobsPerSecond:0} jobs/s" +
                (double.IsNaN(enqueuePerSecond) ? "" : $" (enqueued at {enqueuePerSecond:0}/s)") +
                $"; {row.HeardPerJob:0.00} notifying commits/job ({string.Join(", ", events.Select(e => $"{e.Item1} {e.Item2:0.##}"))}); " +
                $"{(double)db.Commits / ids.Length:0.00} commits and {(double)db.WalSyncs / ids.Length:0.00} WAL flushes per job ({db.MeanWalSyncMs:0.00} ms each); " +
                $"CPU server {row.ServerCores:0.00} / PostgreSQL {row.PostgresCores:0.00} / bench {row.BenchCores:0.00} cores");
            return row;
        }

        /// <summary>
        /// Commits and WAL flushes so far. A backend hands its statistics over when it goes idle, but an idle one only
        /// after up to 10 s (PGSTAT_IDLE_INTERVAL), hence the wait: the pool's connections go idle with counts pending.
        /// </summary>
        private async Task<DbCounters> CountersAsync()
        {
            await Task.Delay(TimeSpan.FromSeconds(11));
            await using var command = Command(
                """
                SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()), wal_sync, wal_sync_time FROM pg_stat_wal
                """);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return new DbCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2));
        }

        private async Task<List<TimeSpan>> ClaimDelaysAsync(List<Guid> ids)
        {
            await using var command = Command(QueueSql.ClaimDelays);
            command.Parameters.AddWithValue("ids", ids.ToArray());
            var delays = new List<TimeSpan>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                delays.Add(TimeSpan.FromMilliseconds((double)reader.GetDecimal(0)));
            }
            return delays;
        }

        private NpgsqlCommand Command(string sql) => new(Tagged(sql), db);
    }

    /// <summary>The phase's statements by total time (the benchmark's own, tagged, left out).</summary>
    private static async Task<IReadOnlyList<StatementTime>> TopStatementsAsync(NpgsqlConnection db)
    {
        await using var command = new NpgsqlCommand(Tagged(
            $"""
            SELECT regexp_replace(query, '\s+', ' ', 'g'), calls, mean_exec_time, total_exec_time FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%{Tag}%'
            ORDER BY total_exec_time DESC LIMIT 6
            """), db);
        var rows = new List<StatementTime>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new StatementTime(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3)));
        }
        return rows;
    }

    private static async Task ExecuteAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(Tagged(sql), db);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>As DatabaseProbe tags its statements: a marker comment after the first keyword, so pg_stat_statements readings leave them out.</summary>
    private static string Tagged(string sql) => sql.TrimStart().Insert(sql.TrimStart().IndexOfAny([' ', '\n']) + 1, Tag + " ");
}
