using BlazorJobs.App.Services;
using BlazorJobs.Server.Delivery;

namespace BlazorJobs.Server.Rollout;

/// <summary>The admin page's <see cref="IRolloutAdmin"/>, over the same service as the admin API.</summary>
public sealed class RolloutAdminAdapter : IRolloutAdmin, IDisposable
{
    private readonly RolloutService _rollout;
    private readonly RolloutStateCache _cache;
    private readonly DeliveryStats _stats;
    private readonly DeliveryKillSwitch _killSwitch;

    public RolloutAdminAdapter(RolloutService rollout, RolloutStateCache cache, DeliveryStats stats, DeliveryKillSwitch killSwitch)
    {
        (_rollout, _cache, _stats, _killSwitch) = (rollout, cache, stats, killSwitch);
        _cache.Changed += OnChanged;
    }

    public event Action? Changed;

    public async Task<App.Services.RolloutView> GetAsync(CancellationToken cancellationToken = default) => Map(await _rollout.GetAsync(cancellationToken));

    public async Task<App.Services.RolloutView> SetAsync(AllocationView allocation, bool killSwitch, string admin, CancellationToken cancellationToken = default) =>
        Map(await _rollout.SetAsync(new DeliveryAllocation(allocation.Sse, allocation.Hybrid, allocation.Polling), killSwitch, admin, cancellationToken));

    public async Task<IReadOnlyList<VariantFigures>> FiguresAsync(CancellationToken cancellationToken = default) =>
        (await _stats.ComputeAsync(cancellationToken))
            .Select(v => new VariantFigures(v.Variant, v.Users, v.QuestionsAnswered, v.Deliveries, v.Failures, v.Fallbacks, v.FailureRate, v.MedianLatencyMs, v.P95LatencyMs, v.RequestsPerQuestion))
            .ToList();

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
        s.Guard is { } g ? new GuardView(g.TrippedAt, g.Variant, g.VariantFailureRate, g.PollingFailureRate, g.VariantSample, g.PollingSample, g.Action) : null,
        s.UpdatedAt,
        s.UpdatedBy);

    private void OnChanged(RolloutState _) => Changed?.Invoke();

    public void Dispose() => _cache.Changed -= OnChanged;
}
