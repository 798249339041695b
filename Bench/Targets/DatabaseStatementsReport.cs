using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;

namespace BlazorJobs.Bench.Targets;

/// <summary>Target 3's section of docs/benchmarks.md: the tables and what they say.</summary>
internal static class DatabaseStatementsReport
{
    public const string PoolReset = "DISCARD ALL";

    /// <summary>
    /// Per stream, what background statements that are not the streams' (lease renewals, the guard's and the
    /// delivery tracker's timers) may differ by between two waves: a dozen statements over 250 streams.
    /// </summary>
    private const double Noise = 0.05;
    private const int ShownStatements = 6;

    public static ReportSection Describe(List<PerStream> perStream, List<WaitingLevel> levels, IReadOnlyList<(string Query, long Extra)> waitingQueries, BenchOptions options)
    {
        var streams = new MarkdownTable("job", "jobs", "statements without streams", "with a stream each", "difference per stream",
            "of which the worker's extra claim attempts", "per stream, the streams' own (≤ 2, same for both)", $"of which `{PoolReset}`",
            "statements/s mid-wait: without / with streams", "LISTEN connections (= 1)");
        foreach (var p in perStream)
        {
            streams.Row($"{p.JobMs / 1000.0:0.#} s", Format.Int(p.Jobs), Format.Int(p.Without), Format.Int(p.With),
                Format.Number(p.Raw, "0.00"), Format.Number(p.WorkerClaims, "0.00;−0.00"),
                $"{Format.Number(p.PerStreamStatements, "0.00")} ({Format.Verdict(p.PerStreamStatements <= 2 + Noise)})",
                Format.Number(p.PerStreamPoolResets, "0.00"),
                double.IsNaN(p.MidRateWith) ? "– (job too short)" : $"{Format.Number(p.MidRateWithout, "0.0")} / {Format.Number(p.MidRateWith, "0.0")}",
                $"{p.Listeners} ({Format.Verdict(p.Listeners == 1)})");
        }
        var spread = perStream.Max(p => p.PerStreamStatements) - perStream.Min(p => p.PerStreamStatements);

        var idle = levels.First(l => l.Streams == 0).StatementsPerSecond;
        var waiting = new MarkdownTable("streams waiting", "statements/s", "extra over none (≤ +1)", "per stream per second",
            "server-side polling every 500 ms (baseline)", "LISTEN connections (= 1)");
        foreach (var level in levels)
        {
            var extra = level.StatementsPerSecond - idle;
            waiting.Row(Format.Int(level.Streams), Format.Number(level.StatementsPerSecond, "0.00"),
                level.Streams == 0 ? "–" : $"{Format.Number(extra, "+0.00;-0.00;0.00")} ({Format.Verdict(extra <= 1)})",
                level.Streams == 0 ? "–" : Format.Number(extra / level.Streams, "0.#####"),
                level.Streams == 0 ? "0" : $"{Format.Int(level.Streams * 2)} statements/s",
                $"{level.Listeners} ({Format.Verdict(level.Listeners == 1)})");
        }

        var most = levels.MaxBy(l => l.Streams)!;
        var section = new ReportSection("3. Database statements per waiting stream")
            .Verdict($"3: ≤ 2 statements per stream, the same for a {perStream[0].JobMs / 1000.0:0.#} s and a {perStream[^1].JobMs / 1000.0:0.#} s job",
                string.Join(" / ", perStream.Select(p => Format.Number(p.PerStreamStatements, "0.00"))) +
                    (perStream.Any(p => p.PerStreamPoolResets > 0.1)
                        ? $" ({string.Join(" / ", perStream.Select(p => Format.Number(p.PerStreamStatements - p.PerStreamPoolResets, "0.00")))} without `{PoolReset}`)"
                        : ""),
                perStream.All(p => p.PerStreamStatements <= 2 + Noise))
            .Verdict($"3: statements/s with {Format.Int(most.Streams)} waiting streams ≤ with none + 1",
                $"{Format.Number(most.StatementsPerSecond, "0.00")} vs {Format.Number(idle, "0.00")}", most.StatementsPerSecond - idle <= 1)
            .Verdict("3: exactly one LISTEN connection per process", string.Join(" / ", perStream.Select(p => p.Listeners).Concat(levels.Select(l => l.Listeners)).Distinct()),
                perStream.All(p => p.Listeners == 1) && levels.All(l => l.Listeners == 1))
            .Text($"""
                Every statement the app runs in its database, counted by `pg_stat_statements` (utility statements
                included; the benchmark's own queries are left out). Per stream: the same wave of jobs (each ≤ one
                worker slot, so none queues) run twice in one server process, first with nobody watching (the wave
                ends when the table shows every job done), then with one SSE stream per job, opened once the whole wave is
                enqueued (so that the two waves enqueue alike); the difference, divided by the number of jobs, is what a stream costs from open to its
                `completed` event. The worker's claim attempts are taken out of that difference: every enqueue's NOTIFY
                wakes the worker and every wake-up ends with a claim that finds nothing, so their number follows the
                machine's timing, not the streams (a stream never wakes the worker); the table shows both. Other
                background statements (lease renewals, the guard's and the delivery tracker's timers) may differ by a
                few between two waves, so the verdict allows {Noise} per stream for them; the statements that differ
                are listed below. The long job is {options.LongJobMs / 1000.0:0.#} s rather than a round minute so that the
                worker's lease renewals (every 10 s) never race the job's completion, which would make the two waves
                differ by chance. "Mid-wait" is the statement rate while every client waits and no job has finished.
                """)
            .Table("Statements per stream", streams)
            .Text($"Spread of the per-stream figure between the {perStream[0].JobMs / 1000.0:0.#} s and the {perStream[^1].JobMs / 1000.0:0.#} s job: {Format.Number(spread, "0.00")} statements.");
        var resets = perStream.Average(p => p.PerStreamPoolResets);
        if (resets > 0.1)
        {
            section.Text($"""
                Without `{PoolReset}`, a stream costs {Format.Number(perStream.Average(p => p.PerStreamStatements) - resets, "0.00")} statements here:
                its two reads when it opens (the job, then the replay of its stored events), nothing while it waits, plus
                the run's noise (how often the worker wakes to claim, and the delivery tracker's batched write, vary
                between two waves). The other {Format.Number(resets, "0.00")} are Npgsql resetting a pooled connection before reusing
                it, which it does for every pooled command of the app, so every figure above counts them. Setting
                `No Reset On Close=true` on the app's data source (the app keeps no session state on pooled connections;
                the migration lock is released explicitly) would remove them.
                """);
        }
        if (perStream[^1].Extra.Count > 0)
        {
            var extra = new MarkdownTable("statement (as pg_stat_statements normalises it)", "extra calls with streams");
            foreach (var (query, calls) in perStream[^1].Extra.Take(ShownStatements))
            {
                extra.Row($"`{Shorten(query)}`", Format.Int(calls));
            }
            section.Table($"Where the streams' statements come from ({perStream[^1].JobMs / 1000.0:0.#} s jobs, {perStream[^1].Jobs} streams)", extra);
        }
        section.Text($"""
                Waiting streams: a server with its worker disabled, so jobs stay `PENDING` and nothing but the open
                streams could make the database work; streams are added in steps and the statement rate is taken over
                {options.StatementWindow.TotalSeconds:0} s once every stream of the step is open (heartbeats every 15 s). The
                baseline is computed, as performance.md says: server-side polling every 500 ms is 2 statements/s per stream.
                """)
            .Table("Statements per second while streams wait", waiting);
        if (waitingQueries.Count > 0)
        {
            var ran = new MarkdownTable("statement", "calls in the window");
            foreach (var (query, calls) in waitingQueries.Take(ShownStatements))
            {
                ran.Row($"`{Shorten(query)}`", Format.Int(calls));
            }
            section.Table($"What ran during the last window ({Format.Int(levels[^1].Streams)} streams waiting)", ran);
        }
        return section;
    }

    private static string Shorten(string query)
    {
        var oneLine = string.Join(' ', query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);
        return oneLine.Length <= 110 ? oneLine : oneLine[..107] + "…";
    }
}
