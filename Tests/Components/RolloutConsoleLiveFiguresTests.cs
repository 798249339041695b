using BlazorJobs.App.Components.Pages.Admin;
using BlazorJobs.App.Services;
using Bunit;
using static BlazorJobs.Tests.Components.RolloutConsolePage;

namespace BlazorJobs.Tests.Components;

/// <summary>The rollout console's live figures: the admin stream's stats in the table and charts, guard trips, times.</summary>
public sealed class RolloutConsoleLiveFiguresTests : RolloutConsoleTestContext
{
    [Fact]
    public async Task The_live_figures_compare_each_mode_from_the_stats()
    {
        var cut = Render<RolloutConsole>();

        await StreamAsync(cut, c => OnStats(c, Stats(
            new VariantFigures("sse", Users: 41, QuestionsAnswered: 230, Callers: 40, FailedCallers: 2, Deliveries: 200, Failures: 6, Fallbacks: 0,
                FailureRate: 5.0, MedianLatencyMs: 12, P95LatencyMs: 48, RequestsPerQuestion: 1.0),
            new VariantFigures("hybrid", 7, 31, 7, 1, 30, 1, 2, 14.3, 15, 90, 1.2),
            new VariantFigures("polling", 5, 22, 5, 0, 20, 0, 0, 0, null, null, null))));

        var table = FiguresTable(cut);
        Assert.Equal(
            ["Mode", "Users", "Answered", "Callers judged", "Failure rate", "Fallbacks", "Median latency", "p95 latency", "Requests / question"],
            Cells(table.QuerySelector("thead tr")!));
        var rows = table.QuerySelectorAll("tbody tr").Select(Cells).ToList();
        // The failure rate is per caller (2 of 40), not per delivery (6 of 200): what the guard judges.
        Assert.Equal(["sse", "41", "230", "40 (200 deliveries)", "5.0% (2/40 callers)", "0", "12 ms", "48 ms", "1.0"], rows[0]);
        Assert.Equal(["hybrid", "7", "31", "7 (30 deliveries)", "14.3% (1/7 callers)", "2", "15 ms", "90 ms", "1.2"], rows[1]);
        Assert.Equal(["polling", "5", "22", "5 (20 deliveries)", "0.0% (0/5 callers)", "0", "–", "–", "–"], rows[2]);
        Assert.Contains("Live figures (last 5 min, per mode)", cut.Markup);
        var rule = Text(cut.Find(".rollout-figures-rule"));
        Assert.Contains("Only answers a client came for are judged; each caller counts once per mode", rule);
        Assert.Contains("a mode is judged from 100 callers", rule);
    }

    [Fact]
    public void The_stream_is_opened_once_the_console_is_interactive_and_figures_wait_for_it()
    {
        var cut = Render<RolloutConsole>();

        var invocation = Assert.Single(AdminModule.Invocations["openAdminStream"]);
        Assert.Equal("/api/admin/rollout/stream", invocation.Arguments[0]);
        Assert.Equal(["stats", "changed"], Assert.IsAssignableFrom<IEnumerable<string>>(invocation.Arguments[1]));
        Assert.Contains("Waiting for the first figures", cut.Markup);
        Assert.Equal("Connecting…", StreamStatus(cut));
        Assert.DoesNotContain(cut.FindAll("table"), t => t.TextContent.Contains("Requests / question"));
    }

    [Fact]
    public async Task Each_stats_event_updates_the_table_and_the_charts()
    {
        var cut = Render<RolloutConsole>();
        await StreamAsync(cut, c => OnStats(c, Stats(
            new VariantFigures("sse", 1, 1, 1, 0, 1, 0, 0, 0, 100, 200, 1),
            new VariantFigures("polling", 1, 1, 2, 1, 2, 1, 0, 50, 100, 200, 1))));
        Assert.Equal("1", Cells(FiguresTable(cut).QuerySelector("tbody tr")!)[1]);
        var charts = Charts(cut);
        Assert.Equal(2, charts.Count);
        Assert.All(charts, chart => Assert.Equal("rollout-figures-table", chart.GetAttribute("aria-describedby")));
        // The drawing itself is an image with a text alternative (a figure may not take role=img).
        Assert.All(charts, chart => Assert.StartsWith("Bar chart of", chart.QuerySelector("[role=img]")?.GetAttribute("aria-label")));
        var latencyBefore = Bars(charts[0]);
        var failuresBefore = Bars(charts[1]);
        Assert.NotEmpty(latencyBefore);

        await StreamAsync(cut, c => OnStats(c, Stats(
            new VariantFigures("sse", 9, 3, 3, 0, 3, 0, 0, 0, 100, 200, 1),
            new VariantFigures("polling", 1, 1, 4, 3, 4, 3, 0, 75, 900, 1800, 1))));

        Assert.Equal("9", Cells(FiguresTable(cut).QuerySelector("tbody tr")!)[1]);
        Assert.Equal("75.0% (3/4 callers)", Cells(FiguresTable(cut).QuerySelectorAll("tbody tr")[1])[4]);
        charts = Charts(cut);
        Assert.NotEqual(latencyBefore, Bars(charts[0]));
        Assert.NotEqual(failuresBefore, Bars(charts[1]));
    }

    [Fact]
    public async Task Without_failures_or_deliveries_the_charts_say_so_instead_of_drawing_empty_axes()
    {
        var cut = Render<RolloutConsole>();

        await StreamAsync(cut, c => OnStats(c, Stats(
            new VariantFigures("sse", 0, 0, 0, 0, 0, 0, 0, 0, null, null, null),
            new VariantFigures("polling", 0, 0, 0, 0, 0, 0, 0, 0, null, null, null))));

        Assert.Equal(
            ["No answer delivered in this window yet.", "No failed delivery in this window: 0% for every mode."],
            [.. Charts(cut).Select(chart => Text(chart.QuerySelector(".rollout-chart-empty")!))]);
        Assert.Empty(cut.FindAll("path.mud-chart-bar"));
    }

    [Fact]
    public async Task The_page_says_whether_the_figures_are_live()
    {
        var cut = Render<RolloutConsole>();

        await StreamAsync(cut, c => c.OnConnection("live"));
        Assert.Equal("Live", StreamStatus(cut));

        await StreamAsync(cut, c => c.OnConnection("reconnecting"));
        Assert.Equal("Reconnecting…", StreamStatus(cut));

        // The module reconnected and the server sent fresh figures.
        await StreamAsync(cut, c => OnStats(c, Stats(new VariantFigures("sse", 1, 1, 1, 0, 1, 0, 0, 0, 10, 10, 1))));
        Assert.Equal("Live", StreamStatus(cut));

        await StreamAsync(cut, c => c.OnConnection("stopped"));
        Assert.Equal("Not live: reload the page", StreamStatus(cut));
    }

    [Fact]
    public async Task Disposing_the_console_closes_the_stream_and_releases_its_callbacks()
    {
        Render<RolloutConsole>();
        var callbacks = CallbacksReference;

        await DisposeComponentsAsync();

        OpenedStream.VerifyInvoke("close");
        Assert.Throws<ObjectDisposedException>(() => callbacks.Value);
    }

    [Fact]
    public void Times_are_shown_relative_to_now_with_their_utc_time()
    {
        _rollout.View = _rollout.View with { UpdatedAt = Now.AddMinutes(-5), UpdatedBy = "ops@example.com" };
        _rollout.Audit = [new AuditRow(1, "ops@example.com", "sse 80 / hybrid 10 / polling 10", null, Now.AddHours(-3))];

        var cut = Render<RolloutConsole>();

        Assert.Equal("Last changed 5 min ago (29 Nov 2026, 23:25 UTC) by ops@example.com", Text(cut.Find(".mud-typography-caption")));
        Assert.Equal("2026-11-29T23:25:00Z", cut.Find(".mud-typography-caption time").GetAttribute("datetime"));
        Assert.Contains("3 h ago (29 Nov 2026, 20:30 UTC)", Text(AuditRows(cut)[0]));
    }

    [Fact]
    public async Task A_guard_trip_is_shown_with_the_figures_that_caused_it()
    {
        var cut = Render<RolloutConsole>();
        Assert.Empty(cut.FindAll(".mud-alert-text-warning"));

        // The guard trips on the server: the admin stream sends `changed` with the new state, and the audit holds the trip.
        var tripped = _rollout.View with
        {
            KillSwitch = true,
            Guard = new GuardView(Now.AddMinutes(-2), "sse", 12.5, 1.0, VariantSample: 160, PollingSample: 100, "KillSwitch",
                VariantFailedCallers: 20, PollingFailedCallers: 1, WindowMinutes: 5, MarginPercent: 5, MinSample: 100),
        };
        _rollout.Audit = [new AuditRow(2, "guard", "sse 80 / hybrid 10 / polling 10 → sse 80 / hybrid 10 / polling 10, kill switch ON", "Guard: sse failure rate 12.5%", Now.AddMinutes(-2))];
        await StreamAsync(cut, c => OnChanged(c, tripped));

        cut.WaitForAssertion(() =>
        {
            var warning = Text(cut.Find(".mud-alert-text-warning"));
            Assert.Contains("The guard tripped 2 min ago (29 Nov 2026, 23:28 UTC)", warning);
            // Why: the rates, the distinct callers behind them, the window and the rule.
            Assert.Contains("over the 5 min before, sse failed for 20 of 160 callers (12.5%) vs polling 1 of 100 (1.0%)", warning);
            Assert.Contains("more than the 5-point margin, with at least 100 callers judged (action: KillSwitch)", warning);
            Assert.Contains("Each caller counts once", warning);
        });
        Assert.Contains("SSE is stopped", cut.Find(".mud-alert-text-error").TextContent);
        Assert.NotNull(Button(cut, "Resume the rollout"));
        cut.WaitForAssertion(() => Assert.Contains("Guard: sse failure rate 12.5%", AuditRows(cut)[0].TextContent));
    }
}
