using System.Text.Json.Serialization;

namespace BlazorJobs.Server.Rollout;

/// <summary>Percentages of users per delivery mode; they sum to 100.</summary>
public sealed record DeliveryAllocation(int Sse, int Hybrid, int Polling)
{
    public DeliveryAllocation() : this(0, 0, 100)
    {
    }

    /// <returns>null when valid, else what is wrong.</returns>
    public string? Validate()
    {
        if (Sse < 0 || Hybrid < 0 || Polling < 0)
        {
            return "Percentages cannot be negative.";
        }
        return Sse + Hybrid + Polling == 100 ? null : $"The percentages must sum to 100 (they sum to {Sse + Hybrid + Polling}).";
    }
}

/// <summary>Why the guard tripped, with the figures that made it.</summary>
/// <param name="VariantSample">Distinct callers of the variant judged in the window (the minimum sample counts these).</param>
/// <param name="VariantFailedCallers">Of those, the callers with at least one failed delivery.</param>
/// <param name="PollingSample">Distinct polling callers judged in the window.</param>
/// <param name="WindowMinutes">The window the figures cover, ending at <paramref name="TrippedAt"/>.</param>
/// <param name="MarginPercent">The margin, in points, the variant's failure rate exceeded polling's by more than.</param>
public sealed record GuardTrip(
    DateTimeOffset TrippedAt,
    string Variant,
    double VariantFailureRate,
    double PollingFailureRate,
    int VariantSample,
    int PollingSample,
    string Action,
    int VariantFailedCallers,
    int PollingFailedCallers,
    double WindowMinutes,
    double MarginPercent,
    int MinSample)
{
    /// <summary>The audit row's reason: what an admin reads to see why SSE was stopped.</summary>
    public string Reason =>
        FormattableString.Invariant(
            $"Guard: {Variant} failure rate {VariantFailureRate:0.0}% ({VariantFailedCallers} of {VariantSample} callers) vs polling {PollingFailureRate:0.0}% ({PollingFailedCallers} of {PollingSample} callers) over the last {WindowMinutes:0.##} min; margin {MarginPercent:0.##} points, minimum sample {MinSample} callers");
}

/// <summary>The delivery flag's whole state, as stored (jsonb) and as the admin API shows it.</summary>
public sealed record RolloutState(
    DeliveryAllocation Allocation,
    bool KillSwitch,
    GuardTrip? Guard,
    DateTimeOffset UpdatedAt,
    string UpdatedBy)
{
    public const string FlagName = "JobDelivery";

    [JsonIgnore] public bool GuardTripped => Guard is not null;
}
