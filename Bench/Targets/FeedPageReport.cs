using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;

namespace BlazorJobs.Bench.Targets;

/// <summary>Target 7's section of docs/benchmarks.md: the tables and what they say.</summary>
internal static class FeedPageReport
{
    private const double FirstBatchMs = 50, CompleteMs = 200, CachedMs = 5, FirstShare = 0.25, Speedup = 10;

    public static ReportSection Describe(List<FeedSize> sizes, List<ViewerWindow> windows, BenchOptions options)
    {
        static string P(LatencySummary s) => $"{Format.Ms(s.P50)} / {Format.Ms(s.P95)}";

        var pages = new MarkdownTable("activity rows (generated / in all sources)", "miss: first batch p50 / p95 ms (≤ 50)", "server-side mean ms", "miss: complete p50 / p95 ms (≤ 200)",
            "first ÷ complete, p50 (≤ ¼)", "cached JSON p50 / p95 ms (≤ 5)", "cached stream p50 / p95 ms (≤ 5)", "misses timed (batches each)", "load average 1/5/15 min: before → after");
        var baseline = new MarkdownTable("activity rows", "N+1 baseline: page p50 / p95 ms", "its statements per page", "SSE first batch on a miss, p50 ms",
            "baseline ÷ SSE first batch (≥ 10×)", "baseline's page = the JSON page");
        foreach (var s in sizes)
        {
            pages.Row($"{Format.Int(s.Generated)} / {Format.Int(s.SourceRows)}",
                $"{P(s.MissFirst)} ({Format.Verdict(s.MissFirst.P95 <= FirstBatchMs)})", Format.Ms(s.ServerFirstBatchMs),
                $"{P(s.MissComplete)} ({Format.Verdict(s.MissComplete.P95 <= CompleteMs)})",
                $"{Format.Number(s.FirstShare, "0.00")} ({Format.Verdict(s.FirstShare <= FirstShare)})",
                $"{P(s.CachedJson)} ({Format.Verdict(s.CachedJson.P95 <= CachedMs)})",
                $"{P(s.CachedStream)} ({Format.Verdict(s.CachedStream.P95 <= CachedMs)})",
                $"{s.Assembled} ({Format.Number(s.Batches, "0.#")})" + (s.FromCache > 0 ? $"; {s.FromCache} served from cache" : "") + (s.GroupErrors > 0 ? $"; {s.GroupErrors} group errors" : ""),
                s.Load);
            baseline.Row(Format.Int(s.Generated), P(s.Baseline), Format.Number(s.BaselineStatements, "0"), Format.Ms(s.MissFirst.P50),
                $"{Format.Ratio(s.Speedup)} ({Format.Verdict(s.Speedup >= Speedup)})", s.PageMismatch is null ? "yes, every round" : $"**no**: {s.PageMismatch}");
        }

        var smallest = sizes[0];
        var growth = new MarkdownTable("activity rows", "× rows", "miss: first batch p50", "miss: complete p50", "cached JSON p50", "cached stream p50", "N+1 baseline p50");
        foreach (var s in sizes)
        {
            string G(Func<FeedSize, double> figure) => $"{Format.Ms(figure(s))} ms ({Format.Ratio(figure(s) / figure(smallest))})";
            growth.Row(Format.Int(s.Generated), Format.Ratio((double)s.Generated / smallest.Generated),
                G(x => x.MissFirst.P50), G(x => x.MissComplete.P50), G(x => x.CachedJson.P50), G(x => x.CachedStream.P50), G(x => x.Baseline.P50));
        }

        var cost = new MarkdownTable("viewers", "activity", "activities landed in the window", "sets of source queries (calls per source, fewest–most)",
            "allowed", "requests", "page p50 / p95 ms", "errors");
        foreach (var w in windows)
        {
            cost.Row(Format.Int(w.Viewers), w.Activity ? $"every {options.FeedActivityInterval.TotalMilliseconds:0} ms" : "none",
                Format.Int(w.ActivityLanded), $"{w.Sets} ({w.FewestCalls}–{w.Sets}, {w.CallsBySource.Count} sources) ({Format.Verdict(w.Met)})",
                $"≤ {w.Allowed}", Format.Int(w.Requests), P(w.Latency), Format.Int(w.Errors));
        }

        var largest = sizes[^1];
        var section = new ReportSection("7. Live feed")
            .Verdict($"7: miss first batch ≤ 50 ms (p95; {Format.Int(smallest.Generated)} / … / {Format.Int(largest.Generated)} rows)",
                string.Join(" / ", sizes.Select(s => Format.Ms(s.MissFirst.P95))) + " ms", sizes.All(s => s.MissFirst.P95 <= FirstBatchMs))
            .Verdict("7: first batch ≤ ¼ of the complete time (p50s)", string.Join(" / ", sizes.Select(s => Format.Number(s.FirstShare, "0.00"))),
                sizes.All(s => s.FirstShare <= FirstShare))
            .Verdict("7: page complete ≤ 200 ms on a miss (p95)", string.Join(" / ", sizes.Select(s => Format.Ms(s.MissComplete.P95))) + " ms",
                sizes.All(s => s.MissComplete.P95 <= CompleteMs))
            .Verdict("7: cached page ≤ 5 ms (p95, JSON / stream)",
                string.Join(" · ", sizes.Select(s => $"{Format.Ms(s.CachedJson.P95)} / {Format.Ms(s.CachedStream.P95)}")) + " ms",
                sizes.All(s => s.CachedJson.P95 <= CachedMs && s.CachedStream.P95 <= CachedMs))
            .Verdict("7: first items ≥ 10× sooner than the N+1 page (p50)", string.Join(" / ", sizes.Select(s => Format.Ratio(s.Speedup))),
                sizes.All(s => s.Speedup >= Speedup));
        foreach (var activity in new[] { false, true })
        {
            var these = windows.Where(w => w.Activity == activity).ToList();
            if (these.Count > 0)
            {
                section.Verdict(activity
                        ? $"7: ≤ 1 set of source queries per second while activity lands ({string.Join(" and ", these.Select(w => Format.Int(w.Viewers)))} viewers)"
                        : $"7: one set of source queries per window without activity ({string.Join(" and ", these.Select(w => Format.Int(w.Viewers)))} viewers)",
                    string.Join(" / ", these.Select(w => $"{w.Sets} in {w.Window.TotalSeconds:0} s")), these.All(w => w.Met));
            }
        }

        return section
            .Text($"""
                Datasets: for each size a server is started whose first start fills the feed's activity tables with its
                own `FeedActivityGenerator` (`Feed:SeedActivityRows`, an existing setting that seeds only empty tables; the
                benchmark empties them between sizes with `TRUNCATE`, then runs `ANALYZE` so the plans are those of a settled
                database). "In all sources" adds the catalogue's courses, lessons and milestones the 11 sources also read.
                Every request goes over HTTP on loopback from the benchmark's process; times run from sending the request
                to the parsed event (`SseParser`) or the parsed JSON body.

                Each size runs {options.FeedWarmupRounds} warm-up rounds and then {options.FeedRounds} measured ones, at least
                {FeedPage.RoundSpacing.TotalSeconds:0.0#} s apart: an announcement is inserted (its trigger's `feed_changed` drops the server's cache, at most
                once a second, so rounds this far apart drop it at once), then after {FeedPage.ActivitySettles.TotalMilliseconds:0} ms the first page's stream
                (`live=false`, so the server ends the response after `feed_complete`; the page part is a live stream's) is timed:
                first `feed_items` and `feed_complete`. A stream counts as a miss only if it came in several batches (a cached page
                is one batch). Then the now cached page, {FeedPage.CachedRepeats} times each as JSON (`GET /api/feed`) and as a stream,
                and the N+1 baseline once. Absolute targets are judged on p95, the ratios on p50s. "Server-side mean": the
                server's own `blazorjobs.feed.time_to_first_batch` (from `/metrics`, read around each miss), request to first
                batch written; the rest of the client's figure is the wire and the client.
                """)
            .Table("The first page: cache miss and cached (targets in brackets)", pages)
            .Text("""
                The baseline builds the same first page the way the live feed replaced: one source after another on one
                connection (from the benchmark's own Npgsql pool), each source's newest 20 rows, then the course's name (and
                the lesson's, where the item has one) looked up with a query per item, then merged and cut to 20 in the client.
                It has no items until its last query returns, so its time to the first items is its complete time, compared
                here with the stream's first batch on a cache miss. Its ids are checked against the JSON page of the same round.
                """)
            .Table("Against the sequential N+1 page (same run)", baseline)
            .Table("How the times grow with the activity rows (growth against the smallest size in brackets)", growth)
            .Text($"""
                Source queries: at {Format.Int(largest.Generated)} rows, windows of {options.FeedViewerWindow.TotalSeconds:0} s in which 1 and
                then {Format.Int(options.FeedViewers)} viewers reload the first page every {options.FeedViewerInterval.TotalMilliseconds:0} ms
                (each from a random phase; even viewers read the stream, odd ones the JSON page), counted with `pg_stat_statements`
                (reset as the window opens): a set is one call of each of the 11 source page queries (the live push's look-ups
                by key are not page queries). Without activity the window opens just after an activity dropped the cache,
                so one set is expected (and the {options.FeedViewerWindow.TotalSeconds:0} s window lies inside the 30 s cache
                lifetime: the expiry itself is not crossed); with activity, an announcement lands every
                {options.FeedActivityInterval.TotalMilliseconds:0} ms from 1.5 s before the window, and the cache may be dropped once
                a second: a window of {options.FeedViewerWindow.TotalSeconds:0} s allows {Math.Floor(options.FeedViewerWindow.TotalSeconds) + 1:0} sets (one per second, and
                one more where a drop falls at the window's very start).
                """)
            .Table("Source queries while viewers watch", cost);
    }
}
