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
public sealed record GuardTrip(
    DateTimeOffset TrippedAt,
    string Variant,
    double VariantFailureRate,
    double PollingFailureRate,
    int VariantSample,
    int PollingSample,
    string Action);

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
