using System.Text.Json;
using AngleSharp.Dom;
using BlazorJobs.App.Components.Pages.Admin;
using BlazorJobs.App.Services;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using MudBlazor.Services;
using static BlazorJobs.Tests.Components.RolloutConsolePage;

namespace BlazorJobs.Tests.Components;

/// <summary>
/// The admin page's rollout console, over a fake <see cref="IRolloutAdmin"/> and admin-stream-interop.js mocked
/// through bunit's JS interop (a test plays the admin stream's events as the module would): what an admin
/// sees and what their clicks change.
/// </summary>
public sealed class RolloutConsoleTests : BunitContext, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 23, 30, 0, TimeSpan.Zero);

    private readonly FakeRolloutAdmin _rollout = new();
    private readonly BunitJSModuleInterop _module;
    private readonly BunitJSModuleInterop _stream;

    public RolloutConsoleTests()
    {
        // MudBlazor calls its own JS; only the rollout module's calls matter here.
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<IRolloutAdmin>(_rollout);
        Services.AddSingleton<TimeProvider>(new FixedClock(Now));
        AddAuthorization().SetAuthorized("admin@example.com").SetRoles("Admin");
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        _module = JSInterop.SetupModule(AdminStreamConnection.ModulePath);
        _stream = _module.SetupModule("openAdminStream", _ => true);
        _stream.SetupVoid("close").SetVoidResult();
        // The charts are drawn at their box's measured size (MatchBoundsToSize); without a size they draw nothing.
        JSInterop.Setup<MudBlazor.Interop.ElementSize>("mudObserveElementSize", _ => true)
            .SetResult(new MudBlazor.Interop.ElementSize { Width = 600, Height = 240 });
    }

    /// <summary>The reference the console handed to the module for the stream's events.</summary>
    private DotNetObjectReference<AdminStreamCallbacks> CallbacksReference =>
        (DotNetObjectReference<AdminStreamCallbacks>)_module.Invocations["openAdminStream"].Single().Arguments[2]!;

    /// <summary>Plays an event of the admin stream, on the renderer's thread as Blazor does.</summary>
    private Task StreamAsync(IRenderedComponent<RolloutConsole> cut, Func<AdminStreamCallbacks, Task> callback) =>
        cut.InvokeAsync(() => callback(CallbacksReference.Value));

    private static Task OnStats(AdminStreamCallbacks callbacks, RolloutStats stats) =>
        callbacks.OnEvent("stats", JsonSerializer.SerializeToElement(stats, AdminStreamConnection.Json));

    private static Task OnChanged(AdminStreamCallbacks callbacks, RolloutView view) =>
        callbacks.OnEvent("changed", JsonSerializer.SerializeToElement(view, AdminStreamConnection.Json));

    private static RolloutStats Stats(params VariantFigures[] variants) => new(variants, Now, WindowMinutes: 5, MinSample: 100);

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are disposed asynchronously (see ChatTestContext).
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    [Fact]
    public void Shows_a_progress_bar_until_the_rollout_has_loaded()
    {
        _rollout.Loading = new TaskCompletionSource();

        var cut = Render<RolloutConsole>();

        Assert.NotNull(cut.Find("[aria-label='Loading the rollout']"));
        Assert.Empty(cut.FindAll("button"));

        _rollout.Loading.SetResult();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[aria-label='Loading the rollout']")));
        Assert.NotNull(Button(cut, "Save allocation"));
    }

    [Fact]
    public void Nothing_can_be_changed_while_the_page_is_only_prerendered()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var cut = Render<RolloutConsole>();

        Assert.True(Button(cut, "Save allocation").HasAttribute("disabled"));
        Assert.True(Button(cut, "Stop SSE for everyone").HasAttribute("disabled"));
        Assert.True(NumberInput(cut, "SSE %").HasAttribute("disabled"));
    }

    [Fact]
    public void Shows_the_current_allocation_and_who_changed_it_last()
    {
        _rollout.View = _rollout.View with { Allocation = new AllocationView(60, 15, 25), UpdatedBy = "ops@example.com" };

        var cut = Render<RolloutConsole>();

        Assert.Equal("60", NumberInput(cut, "SSE %").GetAttribute("value"));
        Assert.Equal("15", NumberInput(cut, "Hybrid %").GetAttribute("value"));
        Assert.Contains("Polling: 25%", cut.FindAll(".mud-typography-body1").Select(Text));
        Assert.Contains("by ops@example.com", cut.Find(".mud-typography-caption").TextContent);
        // The kill switch is off: SSE can be stopped, nothing says it is stopped.
        Assert.False(Button(cut, "Stop SSE for everyone").HasAttribute("disabled"));
        Assert.DoesNotContain(cut.FindAll(".mud-alert"), a => a.TextContent.Contains("SSE is stopped"));
    }

    [Fact]
    public async Task Percentages_over_100_block_saving_with_a_visible_message()
    {
        var cut = Render<RolloutConsole>();

        await SetNumberAsync(cut, "SSE %", "90");
        await SetNumberAsync(cut, "Hybrid %", "30");

        Assert.Contains("cannot exceed 100%", cut.Find(".mud-alert-text-error").TextContent);
        Assert.True(Button(cut, "Save allocation").HasAttribute("disabled"));
        Assert.Empty(_rollout.Saves);

        await SetNumberAsync(cut, "Hybrid %", "10");

        Assert.Empty(cut.FindAll(".mud-alert-text-error"));
        Assert.False(Button(cut, "Save allocation").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_valid_allocation_is_saved_with_polling_taking_the_rest()
    {
        var cut = Render<RolloutConsole>();

        await SetNumberAsync(cut, "SSE %", "50");
        await SetNumberAsync(cut, "Hybrid %", "20");
        await ClickAsync(cut, "Save allocation");

        cut.WaitForAssertion(() => Assert.Single(_rollout.Saves));
        var save = _rollout.Saves[0];
        Assert.Equal(new AllocationView(50, 20, 30), save.Allocation);
        Assert.False(save.KillSwitch);
        Assert.Equal("admin@example.com", save.Admin);
        cut.WaitForAssertion(() => Assert.Contains("sse 50 / hybrid 20 / polling 30", AuditRows(cut)[0].TextContent));
    }

    [Fact]
    public async Task The_kill_switch_asks_for_confirmation_and_does_nothing_when_cancelled()
    {
        var cut = Render<RolloutConsole>();

        await ClickAsync(cut, "Stop SSE for everyone");

        cut.WaitForAssertion(() => Assert.Contains("Stop SSE for everyone?", cut.Find(".mud-dialog").TextContent));
        Assert.Empty(_rollout.Saves);
        await ClickAsync(cut, "Cancel", inDialog: true);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        Assert.Empty(_rollout.Saves);
        Assert.Empty(cut.FindAll(".mud-alert-text-error"));
    }

    [Fact]
    public async Task The_kill_switch_goes_on_once_confirmed_and_the_page_offers_to_resume()
    {
        _rollout.View = _rollout.View with { Allocation = new AllocationView(70, 20, 10) };
        var cut = Render<RolloutConsole>();

        await ClickAsync(cut, "Stop SSE for everyone");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog")));
        await ClickAsync(cut, "Stop SSE", inDialog: true);

        cut.WaitForAssertion(() => Assert.Single(_rollout.Saves));
        var save = _rollout.Saves[0];
        Assert.True(save.KillSwitch);
        Assert.Equal(new AllocationView(70, 20, 10), save.Allocation);
        cut.WaitForAssertion(() => Assert.Contains("SSE is stopped: everyone polls", cut.Find(".mud-alert-text-error").TextContent));
        Assert.NotNull(Button(cut, "Resume the rollout"));
        Assert.Empty(cut.FindAll(".mud-dialog"));
    }

    [Fact]
    public void The_audit_trail_lists_who_changed_what_and_why()
    {
        _rollout.Audit =
        [
            new AuditRow(2, "guard", "sse 80 / hybrid 10 / polling 10 → sse 80 / hybrid 10 / polling 10, kill switch ON", "sse failed 12.0% vs polling 1.0%", DateTimeOffset.UtcNow),
            new AuditRow(1, "ops@example.com", "sse 80 / hybrid 10 / polling 10", null, DateTimeOffset.UtcNow.AddHours(-1)),
        ];

        var cut = Render<RolloutConsole>();

        var rows = AuditRows(cut);
        Assert.Equal(2, rows.Count);
        Assert.Contains("guard", rows[0].TextContent);
        Assert.Contains("kill switch ON", rows[0].TextContent);
        Assert.Contains("sse failed 12.0% vs polling 1.0%", rows[0].TextContent);
        Assert.Contains("ops@example.com", rows[1].TextContent);
        Assert.DoesNotContain("No changes yet.", cut.Markup);
    }

    [Fact]
    public void An_empty_audit_trail_says_so()
    {
        var cut = Render<RolloutConsole>();

        Assert.Contains("No changes yet.", cut.Markup);
    }

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

        var invocation = Assert.Single(_module.Invocations["openAdminStream"]);
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

        _stream.VerifyInvoke("close");
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

    [Fact]
    public async Task Another_admins_change_moves_the_inputs_unless_they_are_being_edited()
    {
        var cut = Render<RolloutConsole>();

        await StreamAsync(cut, c => OnChanged(c, _rollout.View with { Allocation = new AllocationView(30, 20, 50) }));
        Assert.Equal("30", NumberInput(cut, "SSE %").GetAttribute("value"));
        Assert.Equal("20", NumberInput(cut, "Hybrid %").GetAttribute("value"));

        await SetNumberAsync(cut, "SSE %", "45");
        await StreamAsync(cut, c => OnChanged(c, _rollout.View with { Allocation = new AllocationView(10, 10, 80) }));
        Assert.Equal("45", NumberInput(cut, "SSE %").GetAttribute("value"));
    }

    [Fact]
    public void A_kill_switch_forced_by_the_environment_cannot_be_turned_off_here()
    {
        _rollout.View = _rollout.View with { KillSwitch = true, KillSwitchForcedByEnvironment = true };

        var cut = Render<RolloutConsole>();

        Assert.Contains("Delivery__KillSwitch=true", cut.Find(".mud-alert-text-info").TextContent);
        Assert.True(Button(cut, "Resume the rollout").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_failed_save_is_shown_as_an_error_and_the_page_keeps_working()
    {
        _rollout.SaveFailure = new InvalidOperationException("The database is unreachable.");
        var cut = Render<RolloutConsole>();

        await SetNumberAsync(cut, "SSE %", "50");
        await ClickAsync(cut, "Save allocation");

        cut.WaitForAssertion(() => Assert.Contains("The change was not saved", cut.Find("[role=alert].mud-alert-text-error").TextContent));
        Assert.Equal("50", NumberInput(cut, "SSE %").GetAttribute("value"));
        Assert.False(Button(cut, "Save allocation").HasAttribute("disabled"));

        _rollout.SaveFailure = null;
        await ClickAsync(cut, "Save allocation");

        cut.WaitForAssertion(() => Assert.Equal(2, _rollout.Saves.Count));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[role=alert].mud-alert-text-error")));
        Assert.Equal(new AllocationView(50, 10, 40), _rollout.Saves[^1].Allocation);
    }
}
