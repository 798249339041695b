namespace BlazorJobs.App.Services;

/// <summary>Percentages of users per delivery mode.</summary>
public sealed record AllocationView(int Sse, int Hybrid, int Polling);

/// <summary>Why the guard stopped SSE, with its figures: samples are distinct callers judged over the window.</summary>
public sealed record GuardView(
    DateTimeOffset TrippedAt, string Variant, double VariantFailureRate, double PollingFailureRate, int VariantSample, int PollingSample, string Action,
    int VariantFailedCallers, int PollingFailedCallers, double WindowMinutes, double MarginPercent, int MinSample);

public sealed record RolloutView(AllocationView Allocation, bool KillSwitch, bool KillSwitchForcedByEnvironment, GuardView? Guard, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>
/// One delivery mode's live figures over the guard's window. <paramref name="Callers"/> are the distinct
/// callers with a judged delivery (one a client came for), <paramref name="FailedCallers"/> those with a
/// failed one; <paramref name="FailureRate"/> is per caller.
/// </summary>
public sealed record VariantFigures(
    string Variant, int Users, int QuestionsAnswered, int Callers, int FailedCallers, int Deliveries, int Failures, int Fallbacks,
    double FailureRate, double? MedianLatencyMs, double? P95LatencyMs, double? RequestsPerQuestion);

/// <summary>
/// A <c>stats</c> event of the admin stream: every mode's figures over the last <paramref name="WindowMinutes"/>,
/// computed at <paramref name="At"/>; a mode is judged once it has <paramref name="MinSample"/> callers.
/// </summary>
public sealed record RolloutStats(IReadOnlyList<VariantFigures> Variants, DateTimeOffset At, double WindowMinutes, int MinSample);

public sealed record AuditRow(long Id, string ChangedBy, string Summary, string? Reason, DateTimeOffset At);

/// <summary>
/// The admin page's view of the delivery rollout; implemented by the server. The live figures and
/// changes reach the page over <c>GET /api/admin/rollout/stream</c> instead (see AdminStreamConnection).
/// </summary>
public interface IRolloutAdmin
{
    Task<RolloutView> GetAsync(CancellationToken cancellationToken = default);

    Task<RolloutView> SetAsync(AllocationView allocation, bool killSwitch, string admin, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AuditRow>> AuditAsync(int limit, CancellationToken cancellationToken = default);
}
