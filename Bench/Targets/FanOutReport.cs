using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;

namespace BlazorJobs.Bench.Targets;

/// <summary>Target 5's section of docs/benchmarks.md: each load at full size and at a tenth, and whether the cost per event stayed flat.</summary>
internal static class FanOutReport
{
    /// <summary>"Flat": the full size's CPU per event (server + PostgreSQL) within this factor of the tenth's.</summary>
    private const double FlatFactor = 1.25;

    public static ReportSection Describe(List<FanOutRow> rows, BenchOptions options)
    {
        var table = new MarkdownTable("load", "size", "produced/s", "events/s delivered", "p50 ms", "p95 ms", "p99 ms", "max ms",
            "missed", "duplicates", "streams dropped", "CPU-s per 1,000 events: server / PostgreSQL / driver", "CPU cores: server / PostgreSQL / driver", "load before");
        foreach (var r in rows)
        {
            var per = r.CpuPer1000;
            var seconds = r.Window.TotalSeconds;
            table.Row(r.Part == "feed" ? "5a live feed" : "5b streaming answers",
                r.Part == "feed" ? $"{Format.Int(r.Size)} streams" : $"{Format.Int(r.Size)} answers",
                r.Part == "feed" ? $"{Format.Number(r.ProducedPerSecond, "0.0")} activities" : $"{Format.Number(r.ProducedPerSecond, "0")} notifying commits",
                Format.Number(r.EventsPerSecond, "0"), Format.Ms(r.Latency.P50), Format.Ms(r.Latency.P95), Format.Ms(r.Latency.P99), Format.Ms(r.Latency.Max),
                $"{Format.Int(r.Missed)} of {Format.Int(r.Expected)}", Format.Int(r.Duplicates), Format.Int(r.DroppedStreams),
                $"{Format.Number(per.Server, "0.000")} / {Format.Number(per.Postgres, "0.000")} / {Format.Number(per.Driver, "0.000")}",
                $"{Format.Number(r.Cpu.Server.TotalSeconds / seconds, "0.00")} / {Format.Number(r.Cpu.Postgres.TotalSeconds / seconds, "0.00")} / {Format.Number(r.DriverCpu.TotalSeconds / seconds, "0.00")}",
                r.Load.Split(' ')[0]);
        }

        var section = new ReportSection("5. Fan-out");
        AddVerdicts(section, rows.Where(r => r.Part == "feed").OrderBy(r => r.Size).ToList(), "5a: live feed, 50 activities/s to 1,000 streams = 50,000 events/s, p99 < 100 ms",
            "5a: live feed's cost per event flat from 100 to 1,000 streams", 100, "streams", options.FanOutActivitiesPerSecond * 1_000);
        AddVerdicts(section, rows.Where(r => r.Part == "answers").OrderBy(r => r.Size).ToList(), "5b: 200 answers streaming, 2,000 notifying commits/s, p99 delta latency < 50 ms",
            "5b: streaming answers' cost per event flat from 20 to 200 answers", 50, "answers", 2_000);

        var sessions = new MarkdownTable("answers", "notifying commits/s (asked: 1,000 ÷ interval × answers)", "app's PostgreSQL sessions active (mean)", "what they were doing (share of samples)");
        foreach (var r in rows.Where(r => r.Part == "answers" && r.Waits is not null))
        {
            sessions.Row(Format.Int(r.Size), $"{Format.Number(r.ProducedPerSecond, "0")} ({Format.Int(r.Size * 1000L / options.FanOutDeltaIntervalMs)})",
                Format.Number(r.Waits!.MeanActive, "0.0"), r.Waits.Top(4));
        }
        var feedFloor = rows.FirstOrDefault(r => r.Floor is { Count: > 0 })?.Floor;
        return section
            .Text($"""
                **5a, live feed.** The benchmark holds that many `api/feed/stream?live=true` streams (anonymous visitors) and inserts a
                numbered announcement {options.FanOutActivitiesPerSecond} times a second from its own connection, on a fixed schedule; each
                insert's statement trigger notifies `feed_changed`, the server's `FeedLiveHub` looks the row up once and hands it to every
                open stream. Latency = the client's clock when `SseParser` hands over the live `feed_items` event − the item's `sortDate`
                (`clock_timestamp()` at the insert, so its COMMIT's WAL flush is inside). Missed = activities inserted in the window that a
                stream never received (the hub's per-stream queue drops its oldest batches when a stream falls 64 behind). The 100- and
                1,000-stream rows run on one server, smallest first, with the worker off.

                **5b, streaming answers.** That many clients each ask the landing guide a question, read its job stream to the
                end and ask again at once, the first questions spread over one answer; the synthetic tutor answers in
                {options.FanOutDeltasPerAnswer} deltas {options.FanOutDeltaIntervalMs} ms apart, one worker slot per answer, one server per size. A delta
                event carries no time of its own, so the server runs with `Tutor:Synthetic:StampDeltas=true` (the only server change for this
                target): the synthetic tutor writes the time it produced each delta into its text, and latency = client receive − that
                stamp — the whole way from the token to the screen (the worker's statement and COMMIT, PostgreSQL's notification, the
                EventHub, the stream). "Notifying commits/s" counts the `job_events` rows written in the window (each is one
                commit with its NOTIFY); missed = parts absent from answers that completed, scaled to the window's deltas.

                Both: {options.FanOutWarmup.TotalSeconds:0} s of warm-up, then {options.FanOutWindow.TotalSeconds:0} s measured. CPU is the server process,
                PostgreSQL (postmaster and backends) and the load driver over the window; the driver shares the two cores, so
                every figure here is taken with it competing. "Flat" means the full size's server + PostgreSQL CPU per event is
                within {FlatFactor}× the tenth's.
                """)
            .Table("Fan-out at full size and at a tenth", table)
            .Text(feedFloor is null ? "" : $"PostgreSQL's own COMMIT → LISTEN floor during the feed windows: p50 {Format.Ms(feedFloor.P50)} ms, p99 {Format.Ms(feedFloor.P99)} ms.")
            .Table("5b: the app's PostgreSQL sessions over the window (`pg_stat_activity` every 20 ms; `Lock:object` is the notify lock, `CPU` = active, not waiting)", sessions)
            .Text(Reading(rows));
    }

    private static void AddVerdicts(ReportSection section, List<FanOutRow> rows, string target, string flatTarget, double p99Limit, string unit, double wantedEventsPerSecond)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var full = rows[^1];
        var met = full.Latency.P99 < p99Limit && full.Missed == 0 && full.EventsPerSecond >= 0.95 * wantedEventsPerSecond;
        section.Verdict(target,
            $"{Format.Number(full.EventsPerSecond, "0")} events/s at {Format.Int(full.Size)} {unit}, p99 {Format.Ms(full.Latency.P99)} ms, {Format.Int(full.Missed)} missed", met);
        if (rows.Count > 1)
        {
            var tenth = rows[0];
            var ratio = (full.CpuPer1000.Server + full.CpuPer1000.Postgres) / (tenth.CpuPer1000.Server + tenth.CpuPer1000.Postgres);
            section.Verdict(flatTarget,
                $"{Format.Number(full.CpuPer1000.Server + full.CpuPer1000.Postgres, "0.000")} CPU-s per 1,000 events at {Format.Int(full.Size)}, " +
                $"{Format.Number(tenth.CpuPer1000.Server + tenth.CpuPer1000.Postgres, "0.000")} at {Format.Int(tenth.Size)} ({Format.Ratio(ratio)})", ratio <= FlatFactor);
        }
    }

    private static string Reading(List<FanOutRow> rows)
    {
        var lines = new List<string>();
        foreach (var r in rows.Where(r => r.Delivered > 0))
        {
            var seconds = r.Window.TotalSeconds;
            var busy = (r.Cpu.Server + r.Cpu.Postgres + r.DriverCpu).TotalSeconds / seconds;
            lines.Add($"- {(r.Part == "feed" ? "5a" : "5b")} at {Format.Int(r.Size)}: the three processes kept {Format.Number(busy, "0.00")} of the 2 cores busy " +
                $"(server {Format.Number(100 * r.Cpu.Server.TotalSeconds / seconds, "0")}% of a core, PostgreSQL {Format.Number(100 * r.Cpu.Postgres.TotalSeconds / seconds, "0")}%, " +
                $"driver {Format.Number(100 * r.DriverCpu.TotalSeconds / seconds, "0")}%)" +
                (busy > 1.7 ? ": the machine was saturated, so latency here is queueing for a core as much as the app's own path." : "."));
        }
        var text = lines.Count == 0 ? "" : "Where the cores went:\n\n" + string.Join("\n", lines);
        foreach (var r in rows.Where(r => r.Part == "answers" && r.Waits is { } w && w.Share("Lock:object") > 50))
        {
            text += $"\n\nAt {Format.Int(r.Size)} answers the app's PostgreSQL sessions were {Format.Number(r.Waits!.MeanActive, "0.0")} active on average and " +
                $"{Format.Number(r.Waits.Share("Lock:object"), "0")}% of their samples waited on `Lock:object`: the lock every notifying transaction takes " +
                "at commit and holds through its WAL flush. The answers' delta commits queue on it one behind another, so the " +
                $"{Format.Number(r.ProducedPerSecond, "0")} notifying commits/s reached here is what this PostgreSQL let through, not what the server " +
                "could produce; deltas that wait there are late, and the worker's 75 ms batching then folds a late delta into the next one " +
                "(fewer commits, no part lost). Section 11 measures the same lock with nothing of the app around it.";
        }
        return text;
    }
}
