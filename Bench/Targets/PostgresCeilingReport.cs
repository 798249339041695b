using BlazorJobs.Bench.Database;
using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;

namespace BlazorJobs.Bench.Targets;

/// <summary>Section 11 of docs/benchmarks.md: the bare loops' table, and how many streaming answers that makes room for.</summary>
internal static class PostgresCeilingReport
{
    /// <summary>Target 5b's load, which the ceiling is read against.</summary>
    private const double TargetCommitsPerSecond = 2_000;

    public static ReportSection Describe(List<CeilingRow> rows, BenchOptions options, string settings, string load)
    {
        var table = new MarkdownTable("connections", "commits/s with NOTIFY", "without NOTIFY", "NOTIFY ÷ plain", "NOTIFY, synchronous_commit=off",
            "notifications heard", "PostgreSQL cores (NOTIFY / plain)", "driver cores (NOTIFY / plain)", "waits with NOTIFY (share of samples)", "waits without",
            "waits with NOTIFY, synchronous_commit=off");
        foreach (var connections in rows.Select(r => r.Run.Connections).Distinct())
        {
            var notify = rows.Single(r => r.Run.Connections == connections && r.Run.Notify && !r.Run.AsyncCommit);
            var plain = rows.Single(r => r.Run.Connections == connections && !r.Run.Notify);
            var unflushed = rows.SingleOrDefault(r => r.Run.Connections == connections && r.Run.AsyncCommit);
            table.Row(Format.Int(connections), Format.Number(notify.Run.CommitsPerSecond, "0"), Format.Number(plain.Run.CommitsPerSecond, "0"),
                Format.Ratio(notify.Run.CommitsPerSecond / plain.Run.CommitsPerSecond),
                unflushed is null ? "–" : Format.Number(unflushed.Run.CommitsPerSecond, "0"),
                $"{Format.Int(notify.Run.Notifications)} / {Format.Int(notify.Run.AllCommits)}",
                $"{Format.Number(notify.PostgresCores, "0.00")} / {Format.Number(plain.PostgresCores, "0.00")}",
                $"{Format.Number(notify.DriverCores, "0.00")} / {Format.Number(plain.DriverCores, "0.00")}",
                TopWaits(notify.Run, 3), TopWaits(plain.Run, 3), unflushed is null ? "–" : TopWaits(unflushed.Run, 3));
        }

        var best = rows.Where(r => r.Run.Notify && !r.Run.AsyncCommit).MaxBy(r => r.Run.CommitsPerSecond)!;
        var bestPlain = rows.Where(r => !r.Run.Notify).MaxBy(r => r.Run.CommitsPerSecond)!;
        // One streaming answer commits a delta every interval, plus its enqueue, claim and completion once per answer.
        var duration = options.FanOutDeltaIntervalMs * options.FanOutDeltasPerAnswer / 1000.0;
        var perAnswer = 1000.0 / options.FanOutDeltaIntervalMs + 3 / duration;
        var answers = best.Run.CommitsPerSecond / perAnswer;
        var section = new ReportSection(PostgresCeiling.Title)
            .Verdict("11 (beside 5b): one PostgreSQL sustains 5b's 2,000 notifying commits/s",
                $"{Format.Number(best.Run.CommitsPerSecond, "0")}/s at {best.Run.Connections} connections (without NOTIFY {Format.Number(bestPlain.Run.CommitsPerSecond, "0")}/s); ≈ {Format.Number(answers, "0")} streaming answers",
                best.Run.CommitsPerSecond >= TargetCommitsPerSecond);
        return section
            .Text($"""
                A bare Npgsql loop in the benchmark's process, no app: each of `N` connections commits, as fast as it can, what
                the worker's delta commit does — its own job row's sequence bumped, an event row inserted (80 characters of
                text), and a `pg_notify` with a {NotifyCeiling.Payload.Length}-byte payload shaped like a real delta notification — as one
                autocommitted statement on a prepared command (the app's `JobEventSql` shape: one round trip per transaction).
                The same loop without the `pg_notify` is the baseline; a third column runs the notifying loop with
                `synchronous_commit = off` (architecture.md's third lever: the lock held without a flush inside it). One LISTEN connection drains the channel, as each app
                instance's EventHub would. {options.CeilingDuration.TotalSeconds:0} s per row, after a short warm-up of each kind. Cluster:
                {settings}. Load average before the section: {load}. "Waits": `pg_stat_activity` of the loops' sessions
                every 20 ms (`CPU` = active, not waiting).
                """)
            .Table("Commits per second, with and without NOTIFY", table)
            .Text($"""
                The ceiling: **{Format.Number(best.Run.CommitsPerSecond, "0")} notifying commits/s** (at {best.Run.Connections} connections), against
                {Format.Number(bestPlain.Run.CommitsPerSecond, "0")} plain commits/s. One streaming answer at a delta every {options.FanOutDeltaIntervalMs} ms
                makes {Format.Number(perAnswer, "0.0")} notifying commits a second (its deltas, plus the enqueue, claim and completion of a
                {Format.Number(duration, "0")} s answer), so this PostgreSQL has room for about **{Format.Number(answers, "0")} answers streaming at
                once** with nothing else running — and less in practice: every notification is also fanned out by each app
                instance's listener, and target 5b's own run shows what the app adds on top. What happens past this ceiling is
                in [architecture.md, "Past one PostgreSQL's NOTIFY ceiling"](architecture.md#past-one-postgresqls-notify-ceiling).
                """)
            .Text(Reading(rows));
    }

    public static string TopWaits(CeilingRun run, int count) => run.Waits.Top(count);

    private static string Reading(List<CeilingRow> rows)
    {
        var notify = rows.Where(r => r.Run.Notify && !r.Run.AsyncCommit).OrderBy(r => r.Run.Connections).ToList();
        var plain = rows.Where(r => !r.Run.Notify).OrderBy(r => r.Run.Connections).ToList();
        if (notify.Count < 2)
        {
            return "One connection count only: how the two kinds of commit scale with connections is not shown by this run.";
        }
        // Peak against the largest count: the first row alone is at the mercy of one disk flush's time on a shared machine.
        var notifyPeak = notify.MaxBy(r => r.Run.CommitsPerSecond)!;
        var plainPeak = plain.MaxBy(r => r.Run.CommitsPerSecond)!;
        var lost = notify.Sum(r => r.Run.AllCommits - r.Run.Notifications);
        var unflushed = rows.Where(r => r.Run.AsyncCommit).MaxBy(r => r.Run.CommitsPerSecond);
        var unflushedText = unflushed is null ? "" : $"""


            With `synchronous_commit = off` the notifying loop reached {Format.Number(unflushed.Run.CommitsPerSecond, "0")} commits/s (at {unflushed.Run.Connections} connections):
            {Format.Ratio(unflushed.Run.CommitsPerSecond / notify.Max(r => r.Run.CommitsPerSecond))} the best of the flushed notifying loop, its sessions' waits
            {unflushed.Run.Waits.Top(3)}.
            """;
        var lockShare = notify[^1].Run.Waits.Share("Lock:object");
        var plainFlushShare = plain[^1].Run.Waits.Share("LWLock:WALWrite");
        return $"""
            Notifying commits peaked at {Format.Number(notifyPeak.Run.CommitsPerSecond, "0")}/s with {notifyPeak.Run.Connections} connections and made
            {Format.Number(notify[^1].Run.CommitsPerSecond, "0")}/s with {notify[^1].Run.Connections}; plain commits peaked at {Format.Number(plainPeak.Run.CommitsPerSecond, "0")}/s with
            {plainPeak.Run.Connections} and made {Format.Number(plain[^1].Run.CommitsPerSecond, "0")}/s with {plain[^1].Run.Connections}. A plain commit that finds another's WAL flush under way waits for it
            (`LWLock:WALWrite`, {Format.Number(plainFlushShare, "0")}% of the plain loops' samples at {plain[^1].Run.Connections}) and is made durable by it:
            one flush serves many commits (group commit). A notifying commit takes the notify queue's heavyweight lock
            (`Lock:object`, on the database) before its flush and keeps it until the commit is done, so notifying commits
            flush one at a time ({Format.Number(lockShare, "0")}% of the notifying loops' samples at {notify[^1].Run.Connections} connections were waiting
            for that lock): more connections add queueing there, not throughput. {(lost <= 0 ? "The listener heard every notification." : $"The listener missed {Format.Int(lost)} of {Format.Int(notify.Sum(r => r.Run.AllCommits))} notifications over the notifying runs.")}
            """ + unflushedText;
    }
}
