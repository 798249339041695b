namespace BlazorJobs.App.Services;

/// <summary>Percentages of users per delivery mode.</summary>
public sealed record AllocationView(int Sse, int Hybrid, int Polling);

/// <summary>Why the guard stopped SSE, with its figures.</summary>
public sealed record GuardView(DateTimeOffset TrippedAt, string Variant, double VariantFailureRate, double PollingFailureRate, int VariantSample, int PollingSample, string Action);

public sealed record RolloutView(AllocationView Allocation, bool KillSwitch, bool KillSwitchForcedByEnvironment, GuardView? Guard, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>One delivery mode's live figures over the guard's window.</summary>
public sealed record VariantFigures(string Variant, int Users, int QuestionsAnswered, int Deliveries, int Failures, int Fallbacks, double FailureRate, double? MedianLatencyMs, double? P95LatencyMs, double? RequestsPerQuestion);

/// <summary>A <c>stats</c> event of the admin stream: every mode's figures, computed at <paramref name="At"/>.</summary>
public sealed record RolloutStats(IReadOnlyList<VariantFigures> Variants, DateTimeOffset At);

public sealed record AuditRow(long Id, string ChangedBy, string Summary, string? Reason, DateTimeOffset At);

/// <summary>
/// The admin page's view of the delivery rollout; implemented by the server. The live figures and
/// changes reach the page over <c>GET /api/admin/rollout/stream</c> instead (see RolloutStreamConnection).
/// </summary>
public interface IRolloutAdmin
{
    Task<RolloutView> GetAsync(CancellationToken cancellationToken = default);

    Task<RolloutView> SetAsync(AllocationView allocation, bool killSwitch, string admin, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AuditRow>> AuditAsync(int limit, CancellationToken cancellationToken = default);
}
