using BlazorJobs.App.Services;
using BlazorJobs.Server.Delivery;

namespace BlazorJobs.Server.Rollout;

/// <summary>
/// The admin page's <see cref="IRolloutAdmin"/>, over the same service as the admin API. Live figures and
/// changes are not here: the page reads them from the admin stream in the browser.
/// </summary>
public sealed class RolloutAdminAdapter(RolloutService rollout, DeliveryKillSwitch killSwitch) : IRolloutAdmin
{
    private readonly RolloutService _rollout = rollout;
    private readonly DeliveryKillSwitch _killSwitch = killSwitch;

    public async Task<App.Services.RolloutView> GetAsync(CancellationToken cancellationToken = default) => Map(await _rollout.GetAsync(cancellationToken));

    public async Task<App.Services.RolloutView> SetAsync(AllocationView allocation, bool killSwitch, string admin, CancellationToken cancellationToken = default) =>
        Map(await _rollout.SetAsync(new DeliveryAllocation(allocation.Sse, allocation.Hybrid, allocation.Polling), killSwitch, admin, cancellationToken));

    public async Task<IReadOnlyList<AuditRow>> AuditAsync(int limit, CancellationToken cancellationToken = default) =>
        (await _rollout.AuditAsync(limit, cancellationToken)).Select(e => new AuditRow(e.Id, e.ChangedBy, Summarize(e), e.Reason, e.At)).ToList();

    private static string Summarize(RolloutAuditEntry entry)
    {
        static string Describe(System.Text.Json.JsonElement state)
        {
            var a = state.GetProperty("allocation");
            var kill = state.GetProperty("killSwitch").GetBoolean() ? ", kill switch ON" : "";
            return $"sse {a.GetProperty("sse").GetInt32()} / hybrid {a.GetProperty("hybrid").GetInt32()} / polling {a.GetProperty("polling").GetInt32()}{kill}";
        }
        return entry.From is { } from ? $"{Describe(from)} → {Describe(entry.To)}" : Describe(entry.To);
    }

    private App.Services.RolloutView Map(RolloutState s) => new(
        new AllocationView(s.Allocation.Sse, s.Allocation.Hybrid, s.Allocation.Polling),
        s.KillSwitch || _killSwitch.IsForcedByEnvironment,
        _killSwitch.IsForcedByEnvironment,
        s.Guard is { } g
            ? new GuardView(g.TrippedAt, g.Variant, g.VariantFailureRate, g.PollingFailureRate, g.VariantSample, g.PollingSample, g.Action,
                g.VariantFailedCallers, g.PollingFailedCallers, g.WindowMinutes, g.MarginPercent, g.MinSample)
            : null,
        s.UpdatedAt,
        s.UpdatedBy);
}
