using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;

namespace BlazorJobs.Bench.Targets;

/// <summary>Target 6's section of docs/benchmarks.md: the tables and what they say.</summary>
internal static class JobQueueReport
{
    public static ReportSection Describe(JobQueueResult result, BenchOptions options)
    {
        var throughput = new MarkdownTable("slots", "phase", "worker", "jobs", "completed", "seconds", "jobs/s", "HTTP enqueues/s",
            "notifying commits / job (heard)", "event rows / job", "job_enqueued / job", "commits / job (all)", "WAL flushes / job", "WAL flush mean ms",
            "CPU: server / PostgreSQL / bench (cores)");
        foreach (var r in result.Throughput)
        {
            throughput.Row(r.Slots.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Phase, r.Worker, Format.Int(r.Jobs), Format.Int(r.Completed), Format.Number(r.Seconds, "0.00"), Format.Number(r.JobsPerSecond, "0"),
                Format.Number(r.EnqueuePerSecond, "0"), Format.Number(r.HeardPerJob, "0.00"),
                string.Join(", ", r.EventsPerJob.Select(e => $"{e.Type} {Format.Number(e.PerJob, "0.##")}")),
                Format.Number(r.WakeUpsPerJob, "0.00"), Format.Number((double)r.Db.Commits / r.Jobs, "0.00"), Format.Number((double)r.Db.WalSyncs / r.Jobs, "0.00"), Format.Ms(r.Db.MeanWalSyncMs),
                $"{Format.Number(r.ServerCores, "0.00")} / {Format.Number(r.PostgresCores, "0.00")} / {Format.Number(r.BenchCores, "0.00")}");
        }

        var wakeUps = new MarkdownTable("worker", "jobs", "insert → claim p50 ms", "p95 ms", "p99 ms", "max ms", "mean ms", "request sent → PROCESSING heard p50 / p95 ms");
        foreach (var w in new[] { result.AppWakeUp, result.PollerWakeUp })
        {
            var s = w.InsertToClaim;
            wakeUps.Row(w.Worker, Format.Int(s.Count), Format.Ms(s.P50), Format.Ms(s.P95), Format.Ms(s.P99), Format.Ms(s.Max), Format.Ms(s.Mean),
                w.SentToProcessing is { Count: > 0 } c ? $"{Format.Ms(c.P50)} / {Format.Ms(c.P95)}" : "–");
        }

        var first = result.Concurrencies[0];
        var endToEnd = result.Throughput.First(r => r.Slots == first && r.Phase == "enqueue → completed");
        var appRate = result.DrainRate(first, JobQueue.AppWorker);
        var bareRate = result.DrainRate(first, JobQueue.BareWorker);
        var share = appRate / bareRate;
        var commitsPerJob = endToEnd.HeardPerJob;
        var wake = result.AppWakeUp.InsertToClaim;
        var poll = result.PollerWakeUp.InsertToClaim;
        var others = result.Concurrencies.Skip(1).ToList();
        string Others(Func<int, string> figure) => others.Count == 0 ? "" : "; " + string.Join("; ", others.Select(c => $"{c} slots: {figure(c)}"));
        double EndToEnd(int slots) => result.Throughput.First(r => r.Slots == slots && r.Phase == "enqueue → completed").JobsPerSecond;

        var section = new ReportSection("6. Job queue")
            .Verdict($"6: ≥ 1,000 jobs/s enqueue → completed (zero-time tutor, {Format.Int(endToEnd.Jobs)} jobs over HTTP, {first} slots)",
                $"{Format.Number(endToEnd.JobsPerSecond, "0")} jobs/s (worker alone on a queued batch: {Format.Number(appRate, "0")}" +
                Others(c => $"{Format.Number(EndToEnd(c), "0")} / {Format.Number(result.DrainRate(c, JobQueue.AppWorker), "0")}") + ")",
                endToEnd.JobsPerSecond >= 1_000)
            .Verdict("6: ≤ 3 notifying commits per job (PENDING, PROCESSING, completed)",
                $"{Format.Number(commitsPerJob, "0.00")} ({string.Join(", ", endToEnd.EventsPerJob.Select(e => e.Type))})", commitsPerJob <= 3.0001)
            .Verdict("6: idle insert → claim p50 ≤ 4 ms, p95 ≤ 10 ms (woken by NOTIFY)",
                $"p50 {Format.Ms(wake.P50)} ms, p95 {Format.Ms(wake.P95)} ms (1 s poller: p50 {Format.Ms(poll.P50)} ms)", wake.P50 <= 4 && wake.P95 <= 10)
            .Verdict($"6: the app's worker ≥ 50% of a bare SKIP LOCKED loop ({first} slots / connections)",
                $"{Format.Number(share * 100, "0")}% ({Format.Number(appRate, "0")} vs {Format.Number(bareRate, "0")} jobs/s" +
                Others(c => $"{Format.Number(100 * result.DrainRate(c, JobQueue.AppWorker) / result.DrainRate(c, JobQueue.BareWorker), "0")}%") + ")",
                share >= 0.5);

        var ceilings = new MarkdownTable("slots", "worker", "drain jobs/s", "WAL flushes / job", "WAL flush mean ms",
            "WAL busy flushing (jobs/s × flushes/job × flush ms)", "ceiling if every flush waits for the last (1 ÷ (flushes/job × flush ms))");
        foreach (var slots in result.Concurrencies)
        {
            foreach (var worker in new[] { JobQueue.AppWorker, JobQueue.BareWorker })
            {
                var drains = result.Drains(slots, worker).ToList();
                var flushes = (double)drains.Sum(r => r.Db.WalSyncs) / drains.Sum(r => r.Jobs);
                var flushMs = drains.Sum(r => r.Db.WalSyncMs) / drains.Sum(r => r.Db.WalSyncs);
                var rate = result.DrainRate(slots, worker);
                ceilings.Row(slots.ToString(System.Globalization.CultureInfo.InvariantCulture), worker, Format.Number(rate, "0"), Format.Number(flushes, "0.00"),
                    Format.Ms(flushMs), $"{Format.Number(100 * rate * flushes * flushMs / 1000, "0")}%", Format.Number(1000 / (flushes * flushMs), "0"));
            }
        }

        section
            .Text($"""
                The real server (Release) on its private PostgreSQL, `Tutor:Provider=Synthetic` with `DurationMs=0` and
                `Deltas=1` (the least it allows): the tutor answers at once, with one delta. One server per `Worker:Concurrency`
                ({string.Join(" and ", result.Concurrencies)}; appsettings.json ships 4; the first is the one the summary reads). Every job is enqueued over real HTTP by the bench (`POST /api/landing-assistant/query`,
                a new session each, from {options.QueueEnqueuers} clients at once): the endpoint's own transaction (session,
                job, message, event 1, `NOTIFY job_enqueued`) is part of what is measured, and no copy of its SQL can drift from it.
                A LISTEN connection of the bench's own on `job_events`, `job_enqueued`, `feed_changed` and `flags_changed` counts
                what each job notifies: every commit of the queue appends exactly one event and notifies it on `job_events`, so
                notifications heard per job = notifying commits per job (the enqueue's `job_enqueued` rides in the same commit).
                "Commits / job (all)" and "WAL flushes / job" are the whole database's `pg_stat_database.xact_commit` and
                `pg_stat_wal.wal_sync` over the phase (HTTP enqueues included in the first row only).
                """)
            .Text($"""
                **Throughput.** "enqueue → completed": {Format.Int(endToEnd.Jobs)} jobs enqueued as fast as {options.QueueEnqueuers}
                HTTP clients go while the app's worker answers them; jobs/s = completed ÷ (last `completed_at` − first `created_at`).
                "drain": the worker alone, on {Format.Int(options.QueueJobs)} jobs already queued: they are enqueued over HTTP while a
                trigger of the bench's own (on its private database) sets their `run_after` a day ahead, so the app's claim skips
                them; then one commit makes them due and sends `NOTIFY job_enqueued` (for the app), or the bare loop starts (it
                claims with the app's statement but for `run_after <= now() + 2 days`); jobs/s = completed ÷ (last `completed_at` −
                first `started_at`). The bare loop is as many Npgsql connections as the app has slots, each in the bench, each claiming with the app's
                `FOR UPDATE SKIP LOCKED` statement and completing with the app's completion statement (result, `completed` event with
                `completedAt`, the assistant's message, the session touched, the same NOTIFYs), prepared, nothing else: no tutor,
                no delta, no lease renewal, no DI scope. {options.QueueRounds} round(s) of each, alternating which goes first; the
                ratio is over their totals. `track_wal_io_timing=on` (PostgreSQL's setting, through `EmbeddedPostgres:Settings`)
                times each WAL flush.
                """)
            .Table("Throughput", throughput)
            .Text($"""
                **Idle insert → claim.** {Format.Int(wake.Count)} single jobs, each sent 20–60 ms after the previous one finished (the
                worker asleep on its signal), and {Format.Int(poll.Count)} for the baseline, 100–400 ms apart. Insert → claim =
                `jobs.started_at − jobs.created_at`, both the database's `now()`: `created_at` is the enqueue transaction's start
                and `started_at` the claim statement's start, so the figure includes the enqueue's own statements and COMMIT
                before the NOTIFY leaves. The baseline is a bare worker in the bench that runs the claim every
                {JobQueue.PollInterval.TotalSeconds:0} s (and drains what it finds), on jobs held from the app's worker as above. The last
                column is the bench's clock from the enqueue request sent to the claim's `status PROCESSING` notification heard.
                """)
            .Table("Idle insert → claim", wakeUps)
            .Table("Where a drain's time goes: the WAL flush at each commit", ceilings)
            .Text(Reading(result, endToEnd, appRate, bareRate));
        foreach (var (slots, worker, rows) in result.Statements)
        {
            section.Table($"Statements during the first drain, {worker}, {slots} slots (pg_stat_statements, by total time)", Statements(rows));
        }
        return section;
    }

    private static MarkdownTable Statements(IReadOnlyList<StatementTime> statements)
    {
        var table = new MarkdownTable("statement", "calls", "mean ms", "total ms");
        foreach (var s in statements)
        {
            var text = s.Query.Length > 110 ? s.Query[..110] + "…" : s.Query;
            table.Row($"`{text.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal)}`", Format.Int(s.Calls), Format.Ms(s.MeanMs), Format.Ms(s.TotalMs));
        }
        return table;
    }

    /// <summary>How far rounds of the same worker and slots differed: the noise the ratio is read with.</summary>
    private static string Spread(JobQueueResult result)
    {
        var spreads = result.Throughput.Where(r => r.Phase.StartsWith("drain", StringComparison.Ordinal))
            .GroupBy(r => (r.Slots, r.Worker)).Where(g => g.Count() > 1)
            .Select(g => g.Max(r => r.JobsPerSecond) / g.Min(r => r.JobsPerSecond)).ToList();
        return spreads.Count == 0
            ? ""
            : $"Rounds of the same worker and slots differed by up to {Format.Ratio(spreads.Max())} in this run (mostly in the flush time: " +
              "other work on the machine, see the load average above), so the ratios are read over the totals and with that spread in mind.";
    }

    /// <summary>What limits the figures, in words, for the run at hand.</summary>
    private static string Reading(JobQueueResult result, ThroughputRow endToEnd, double appRate, double bareRate)
    {
        var first = result.Concurrencies[0];
        (double Flushes, double FlushMs) Wal(int slots, string worker)
        {
            var drains = result.Drains(slots, worker).ToList();
            return ((double)drains.Sum(r => r.Db.WalSyncs) / drains.Sum(r => r.Jobs), drains.Sum(r => r.Db.WalSyncMs) / drains.Sum(r => r.Db.WalSyncs));
        }
        var app = Wal(first, JobQueue.AppWorker);
        var bare = Wal(first, JobQueue.BareWorker);
        var appCommits = result.Drains(first, JobQueue.AppWorker).Average(r => (double)r.Db.Commits / r.Jobs);
        var busy = appRate * app.Flushes * app.FlushMs / 1000;
        var text = new List<string>();

        if (endToEnd.HeardPerJob > 3.0001)
        {
            text.Add($"""
                **Notifying commits.** {Format.Number(endToEnd.HeardPerJob, "0.00")} per job: {string.Join(", ", endToEnd.EventsPerJob.Select(e => e.Type))}.
                `JobProgressWriter` holds text back for 75 ms from the job's start and `completed` carries what is still
                unflushed, so a zero-time answer should cost none of its own: a `delta` here is text the worker flushed because
                more than 75 ms passed between the job's claim and its answer (a busy machine).
                """);
        }

        text.Add($"""
            **What limits throughput: the WAL flush at every commit.** With {first} slots the app's worker drained
            {Format.Number(appRate, "0")} jobs/s, the bare loop {Format.Number(bareRate, "0")}; end to end (the HTTP enqueues
            on the same two cores) {Format.Number(endToEnd.JobsPerSecond, "0")}. Each of the app's drained jobs cost
            {Format.Number(appCommits, "0.00")} commits (the claim and `completed`, and a `delta` for text flushed before it) and {Format.Number(app.Flushes, "0.00")} WAL
            flushes: PostgreSQL's group commit merged almost none, so every COMMIT waited for an fdatasync of its own, at
            {Format.Ms(app.FlushMs)} ms each on this machine's virtual disk (`pg_test_fsync` on it, once on 2026-12-03: fdatasync
            1.3–2.3 ms per 8 kB write; the disk and cores are shared with other work). The WAL was being flushed {Format.Number(100 * busy, "0")}% of the drain's
            time ({(busy >= 0.8 ? "the flushes, one after another, are the bottleneck" : "the largest share; the rest is the statements, the round trips and the scheduling of server, PostgreSQL and bench on two cores shared with other work")}),
            and at {Format.Number(app.Flushes, "0.00")} flushes per job they alone cap the app near {Format.Number(1000 / (app.Flushes * app.FlushMs), "0")} jobs/s
            (the bare loop, {Format.Number(bare.Flushes, "0.00")} flushes per job at {Format.Ms(bare.FlushMs)} ms: near
            {Format.Number(1000 / (bare.Flushes * bare.FlushMs), "0")}). 1,000 jobs/s at 3 commits a job needs 3,000 commits/s:
            a flush of ≤ 0.33 ms (a faster disk than this one), or several commits per flush; `synchronous_commit=off` for the worker's own commits would
            remove the wait (a crash could then lose the last few hundred ms of claims and answers, which the lease
            re-runs), but the app has no setting for it and target 1 is defined with the default.
            """);

        text.Add($"""
            **The app against the bare loop.** What differs by construction: the app writes a third commit per job (the
            delta), and its claim loop (`JobWorker`) claims one job at a time, waiting for that claim's COMMIT before
            claiming the next whatever its slots (the claims of a drain are serial, a flush each; only the runners' delta
            and completed commits overlap them), while the bare loop claims on all its connections at once. The tutor, the
            DI scope, the lease-renewal timer and the JSON are small beside a flush: the server used
            {Format.Number(result.Drains(first, JobQueue.AppWorker).Average(r => r.ServerCores), "0.00")} cores during its drains.
            {Spread(result)}
            """);

        var cores = result.Drains(first, JobQueue.AppWorker).Average(r => r.ServerCores + r.PostgresCores + r.BenchCores);
        text.Add($"""
            During the app's drains the server, PostgreSQL and the bench together used {Format.Number(cores, "0.00")} of the
            machine's 2 cores{(cores >= 1.4 ? ": CPU is close to its limit as well, so shorter statements or fewer of them (one commit less per job) would show directly" : "")}.
            """);
        if (result.Concurrencies.Length > 1)
        {
            var most = result.Concurrencies.Max();
            var appMore = result.DrainRate(most, JobQueue.AppWorker);
            var bareMore = result.DrainRate(most, JobQueue.BareWorker);
            if (Math.Abs(appMore / appRate - 1) < 0.15 && bareMore / bareRate > 1.15)
            {
                text.Add($"""
                    **The serial claim.** With {most} slots instead of {first} the app's drain hardly moved ({Format.Number(appRate, "0")} →
                    {Format.Number(appMore, "0")} jobs/s) while the bare loop's went from {Format.Number(bareRate, "0")} to
                    {Format.Number(bareMore, "0")}: a serial step, not the slots, sets the app's pace. That step is `JobWorker`'s
                    one-at-a-time claim: {Format.Ms(1000 / appMore)} ms per claim cycle (the claim statement, its COMMIT's flush,
                    the round trip, and the loop's turn on busy cores). Claiming several jobs per statement, or a claim per
                    free slot at once, would let claims overlap one another's statements and flushes, as the bare loop's connections do.
                    """);
            }
        }

        foreach (var slots in result.Concurrencies.Skip(1))
        {
            var more = Wal(slots, JobQueue.AppWorker);
            text.Add($"""
                With {slots} slots (and {slots} bare connections) the app drained {Format.Number(result.DrainRate(slots, JobQueue.AppWorker), "0")} jobs/s
                ({Format.Number(more.Flushes, "0.00")} flushes per job at {Format.Ms(more.FlushMs)} ms) and the bare loop
                {Format.Number(result.DrainRate(slots, JobQueue.BareWorker), "0")}: {(more.Flushes >= 0.9 * app.Flushes
                    ? "more concurrency did not make the commits share flushes on two shared cores"
                    : $"more concurrent commits began to share flushes ({Format.Number(more.Flushes, "0.00")} per job against {Format.Number(app.Flushes, "0.00")})")}.
                """);
        }

        var wake = result.AppWakeUp.InsertToClaim;
        var poll = result.PollerWakeUp.InsertToClaim;
        text.Add($"""
            **Wake-up.** Insert → claim p50 {Format.Ms(wake.P50)} ms, p95 {Format.Ms(wake.P95)} ms against the 1 s poller's
            p50 {Format.Ms(poll.P50)} ms ({Format.Ratio(poll.P50 / wake.P50)} sooner). The figure starts at the enqueue
            transaction's start, so it holds the enqueue's own statements and its COMMIT's WAL flush (the
            {Format.Ms(app.FlushMs)} ms above) before the NOTIFY leaves, then the server's LISTEN connection, `WorkerSignal`
            and the claim statement's start; the tail is the flush's and the shared cores' tail.
            """);
        return string.Join("\n\n", text);
    }
}
