using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;

namespace BlazorJobs.Bench.Targets;

/// <summary>Target 2's section of docs/benchmarks.md: the tables and what they say.</summary>
internal static class CostPerAnswerReport
{
    public static ReportSection Describe(List<WaveResult> waves, CpuSample idle, (WrkResult Plain, WrkResult NotModified) wrk, int clients, BenchOptions options)
    {
        var workOnlyWaves = waves.Where(w => w.Delivery == Delivery.None).ToList();
        double Total(WaveResult w) => w.NetPerAnswer(idle).Total.TotalMilliseconds;
        double Server(WaveResult w) => w.NetPerAnswer(idle).Server.TotalMilliseconds;
        // The job's own work: the mean of the enqueue-only waves run first and last.
        var workOnly = workOnlyWaves.Average(Total);
        double DeliveryCpu(WaveResult w) => Total(w) - workOnly;

        var costs = new MarkdownTable("delivery", "answers", "errors", "wall s", "requests/answer", "server CPU ms/answer",
            "PostgreSQL CPU ms/answer", "total CPU ms/answer", "delivery CPU ms/answer (total − enqueue-only)", "gross total ms/answer (idle included)");
        foreach (var w in waves)
        {
            var net = w.NetPerAnswer(idle);
            costs.Row(w.Delivery.Name, Format.Int(w.Answered), Format.Int(w.Errors), Format.Number(w.Elapsed.TotalSeconds, "0.0"),
                Format.Number(w.RequestsPerAnswer, "0.00"), Format.Number(net.Server.TotalMilliseconds, "0.00"), Format.Number(net.Postgres.TotalMilliseconds, "0.00"),
                Format.Number(net.Total.TotalMilliseconds, "0.00"), w.Delivery == Delivery.None ? "–" : Format.Number(DeliveryCpu(w), "0.00;−0.00"),
                Format.Number(w.Cpu.Total.TotalMilliseconds / w.Answered, "0.00"));
        }

        var sse = waves.First(w => w.Delivery == Delivery.Sse);
        var ratios = new MarkdownTable("SSE against", "requests/answer: SSE vs polling (SSE = 2)", "total CPU: SSE ÷ polling (≤ 1/5)",
            "server CPU: SSE ÷ polling", "delivery CPU: SSE ÷ polling (≤ 1/5)");
        foreach (var poll in waves.Where(w => w.Delivery.IsPolling))
        {
            var total = Total(sse) / Total(poll);
            var delivery = DeliveryCpu(sse) / DeliveryCpu(poll);
            ratios.Row(poll.Delivery.Name,
                $"{Format.Number(sse.RequestsPerAnswer, "0.00")} vs {Format.Number(poll.RequestsPerAnswer, "0.00")} ({Format.Verdict(Math.Abs(sse.RequestsPerAnswer - 2) < 0.005)})",
                $"{Format.Ratio(total)} ({Format.Verdict(total <= 0.2)})",
                Format.Ratio(Server(sse) / Server(poll)),
                // A stream's own cost can be smaller than the run's noise: a negative difference says just that.
                DeliveryCpu(sse) < 0 ? $"≈ 0: SSE's extra CPU is below the noise ({Format.Verdict(true)})" : $"{Format.Ratio(delivery)} ({Format.Verdict(delivery <= 0.2)})");
        }

        var endpoint = new MarkdownTable("GET …/job/{id} of a finished job", "req/s", "p50 ms", "p90 ms", "p99 ms", "requests", "non-2xx/3xx", "≥ 6,700 req/s at p99 < 20 ms");
        foreach (var (name, result) in new[] { ("200 with body", wrk.Plain), ("304 (If-None-Match)", wrk.NotModified) })
        {
            endpoint.Row(name, Format.Number(result.RequestsPerSecond, "0"), Format.Ms(result.P50Ms), Format.Ms(result.P90Ms), Format.Ms(result.P99Ms),
                Format.Int(result.Requests), Format.Int(result.NonSuccess),
                result.Problem ?? Format.Verdict(result.RequestsPerSecond >= 6_700 && result.P99Ms < 20));
        }

        var polls = waves.Where(w => w.Delivery.IsPolling).ToList();
        var totalRatios = polls.Select(p => Total(sse) / Total(p)).ToList();
        var deliveryRatios = polls.Select(p => DeliveryCpu(sse) / DeliveryCpu(p)).ToList();
        var section = new ReportSection("2. Cost per delivered answer")
            .Verdict("2: SSE costs 2 HTTP requests per answer", $"{Format.Number(sse.RequestsPerAnswer, "0.00")} (polling {string.Join(" / ", polls.Select(p => Format.Number(p.RequestsPerAnswer, "0.0")))})",
                Math.Abs(sse.RequestsPerAnswer - 2) < 0.005)
            .Verdict("2: CPU per answer ≤ 1/5 of polling's (1.5 s / back-off)",
                $"total {string.Join(" / ", totalRatios.Select(Format.Ratio))}; delivery alone {string.Join(" / ", deliveryRatios.Select(r => r < 0 ? "≈ 0" : Format.Ratio(r)))}",
                totalRatios.All(r => r <= 0.2))
            .Verdict("2: poll endpoint ≥ 6,700 req/s at p99 < 20 ms (wrk)", $"{Format.Number(wrk.Plain.RequestsPerSecond, "N0")} req/s, p99 {Format.Ms(wrk.Plain.P99Ms)} ms",
                wrk.Plain.RequestsPerSecond >= 6_700 && wrk.Plain.P99Ms < 20);
        return section
            .Text($"""
                {clients} clients arrive within one second, each asks one question and waits for the answer of a
                {options.CostJobMs / 1000.0:0.#} s synthetic job (one delta); the worker has a slot for every job, so nobody
                queues. One wave per way of waiting, in the same server process: "enqueue only" (nobody waits; the
                wave ends when the table shows every job done) is the work every answer costs whatever the delivery,
                run first and last so that drift cancels, and "delivery CPU" is a wave's CPU minus the mean of those two. Requests are every HTTP request the clients sent
                (enqueue included). CPU is user + system time from `/proc` of the server process and of PostgreSQL
                (postmaster, its live and exited children), from the wave's first enqueue to its last answer, less
                what both burn when idle over the same time (measured after two unmeasured warm-up rounds, once the
                JIT's background recompilation has settled: {Format.Number(idle.Server.TotalMilliseconds, "0")} ms/s server,
                {Format.Number(idle.Postgres.TotalMilliseconds, "0")} ms/s PostgreSQL; the last column keeps it in).
                Polling sends `If-None-Match` (unchanged polls are `304`s), and polls at once then on its schedule,
                as `pollJob` does.
                """)
            .Table("Per answer", costs)
            .Table("SSE against polling (targets in brackets)", ratios)
            .Text(Reading(waves, workOnly, DeliveryCpu))
            .Text($"""
                `wrk -t2 -c{options.WrkConnections} -d{options.WrkDuration.TotalSeconds:0}s --latency` with the visitor's cookie, on
                the same 2 cores as the server and PostgreSQL (wrk's own threads take a share of them).
                """)
            .Table("The poll endpoint under wrk", endpoint);
    }

    /// <summary>What the per-answer figures say, in words, for the run at hand.</summary>
    private static string Reading(List<WaveResult> waves, double workOnly, Func<WaveResult, double> deliveryCpu)
    {
        var sse = waves.First(w => w.Delivery == Delivery.Sse);
        var polls = waves.Where(w => w.Delivery.IsPolling).ToList();
        var text = $"""
            Reading it: the enqueue-only wave (the enqueue, the claim, the delta and the completion with their
            statements, the same whatever the delivery) costs {Format.Number(workOnly, "0.0")} ms per answer here (the mean of the two enqueue-only waves), which
            bounds SSE's total from below: the ≤ 1/5 target can hold for what delivery itself costs, and for the total
            only as far as the job's own work shrinks.
            """;
        if (waves.Any(w => w.Delivery != Delivery.None && deliveryCpu(w) < 0))
        {
            text += " In this run some deliveries cost less than the enqueue-only wave: the differences are below the run's noise (a busy machine, small waves).";
        }
        else
        {
            text += $" On top of it SSE adds {Format.Number(deliveryCpu(sse), "0.0")} ms and polling {string.Join(" / ", polls.Select(w => Format.Number(deliveryCpu(w), "0.0")))} ms ({string.Join(" / ", polls.Select(w => w.Delivery.Name))}).";
        }
        return text;
    }
}
