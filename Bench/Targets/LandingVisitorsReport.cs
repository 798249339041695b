using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;

namespace BlazorJobs.Bench.Targets;

/// <summary>Target 8's section of docs/benchmarks.md: memory per landing visitor against one Interactive Server circuit.</summary>
internal static class LandingVisitorsReport
{
    /// <summary>performance.md: a visitor costs at most a tenth of a circuit.</summary>
    private const double MaxShareOfCircuit = 0.1;

    public static ReportSection Describe(VisitorMemory m)
    {
        double Rss(VisitorReading from, VisitorReading to, int n) => VisitorMemory.Per(from, to, n, s => s.RssBytes);
        double Heap(VisitorReading from, VisitorReading to, int n) => VisitorMemory.Per(from, to, n, s => s.HeapBytes);
        var circuitRss = Rss(m.Held, m.Circuits, m.CircuitCount);
        var circuitHeap = Heap(m.Held, m.Circuits, m.CircuitCount);
        var rows = new (string What, VisitorReading From, VisitorReading To, int N)[]
        {
            ($"landing visitor, answered, nothing held (the early guide's state)", m.Zero, m.Answered, m.Visitors),
            ($"landing visitor, answered, holding its events stream (the WebAssembly guide's state)", m.Zero, m.Held, m.Visitors),
            ($"Interactive Server circuit (`{m.CircuitPath}` in headless Chromium)", m.Held, m.Circuits, m.CircuitCount),
        };

        var readings = new MarkdownTable("reading", "RSS", "managed heap", "threads");
        foreach (var reading in new[] { m.Zero, m.Answered, m.Held, m.Circuits })
        {
            readings.Row(reading.State, Format.Mib(reading.Memory.RssBytes), reading.Memory.HeapBytes is { } h ? Format.Mib(h) : "–", Format.Int(reading.Memory.Threads));
        }
        var per = new MarkdownTable("one …", "count", "RSS each", "managed heap each", "RSS share of a circuit", "heap share of a circuit");
        foreach (var row in rows)
        {
            var rss = Rss(row.From, row.To, row.N);
            var heap = Heap(row.From, row.To, row.N);
            per.Row(row.What, Format.Int(row.N), Format.Kib(rss), Format.Kib(heap), Share(rss / circuitRss), Share(heap / circuitHeap));
        }

        var visitorRss = Rss(m.Zero, m.Held, m.Visitors);
        var visitorHeap = Heap(m.Zero, m.Held, m.Visitors);
        var section = new ReportSection("8. The landing visitor")
            .Verdict("8: RSS per chatting landing visitor ≤ 1/10 of one Interactive Server circuit",
                $"{Format.Kib(visitorRss)} vs {Format.Kib(circuitRss)}: {Share(visitorRss / circuitRss)}", visitorRss <= MaxShareOfCircuit * circuitRss)
            .Verdict("8: managed heap per chatting landing visitor ≤ 1/10 of one circuit's",
                $"{Format.Kib(visitorHeap)} vs {Format.Kib(circuitHeap)}: {Share(visitorHeap / circuitHeap)}",
                !double.IsNaN(visitorHeap) && visitorHeap <= MaxShareOfCircuit * circuitHeap);
        return section
            .Text($"""
                One server process (Release, server GC as shipped, the synthetic tutor answering in 100 ms), read after a forced
                full GC (`dotnet-gcdump collect`) at each step: with no visitors; after {Format.Int(m.Visitors)} visitors, each with its own
                `bj_visitor` cookie, have asked one question over the landing API and read its job stream to `completed` (the
                early guide's requests; its job stream then ends, and it holds nothing); after each of them has also opened
                the caller's events stream `/api/events` and holds it (what the WebAssembly guide keeps open on `/` once it
                has taken over, following its session there); and after {Format.Int(m.CircuitCount)} Interactive Server circuits have been
                opened on top, by headless Chromium loading `{m.CircuitPath}` (the one public page with an Interactive Server root),
                {m.PagesPerContext} pages to a browser context. A page counts once its `_blazor` WebSocket has carried the
                server's first messages. A circuit's figure includes what its page asks of the server besides the circuit: its
                live feed rides the events stream that the context's tabs share (one per {m.PagesPerContext} pages). Per visitor
                = (reading − the 0 reading) / visitors; per circuit = (reading with circuits − the reading before them) / circuits.
                Before the 0 reading, {WarmUpNote}. The verdicts read the visitor holding its events stream, the larger of its two states.
                RSS moves with what the server GC keeps committed, not only with what is live, so the managed heap is the steadier
                figure{(Heap(m.Zero, m.Answered, m.Visitors) < 0 ? "; a negative one means objects live at the 0 reading (the warm-up's) had died by the next, more than the visitors added" : "")}.
                {(m.Errors > 0 ? $"**{m.Errors} visitors' questions or streams failed** (not answered, or a stream dropped)." : "Every visitor's question was answered and no events stream dropped.")}
                """)
            .Table("Memory per visitor and per circuit", per)
            .Table("The readings", readings);
    }

    private const string WarmUpNote = "20 visitors chat and open and close their events stream, and two circuits are opened (and kept: a closed page's circuit may be retained for minutes and freed mid-run)";

    /// <summary>"1/12.3 (8.1%)": how a share of a circuit reads against "≤ 1/10".</summary>
    private static string Share(double share) =>
        double.IsNaN(share) || share <= 0 ? "–" : $"1/{Format.Number(1 / share, "0.#")} ({Format.Number(share * 100, "0.#")}%)";
}
