using BlazorJobs.App.Components.Pages.Admin;
using BlazorJobs.App.Services;
using Bunit;
using Microsoft.AspNetCore.Components;
using static BlazorJobs.Tests.Components.RolloutConsolePage;

namespace BlazorJobs.Tests.Components;

/// <summary>The rollout console's controls: loading, the allocation and its save, the kill switch, the audit trail.</summary>
public sealed class RolloutConsoleAllocationTests : RolloutConsoleTestContext
{
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
