using System.ComponentModel.DataAnnotations;

namespace BlazorJobs.Server.Rollout;

/// <summary><c>Rollout:*</c>: the first state of the delivery flag, and the guard.</summary>
public sealed class RolloutOptions
{
    public const string Section = "Rollout";

    /// <summary>Seeds the flag once; from then on the database holds it.</summary>
    public FlagSeed JobDelivery { get; set; } = new();

    public GuardOptions Guard { get; set; } = new();

    public sealed class FlagSeed
    {
        public DeliveryAllocation Allocation { get; set; } = new(80, 10, 10);
    }

    public sealed class GuardOptions
    {
        /// <summary>Deliveries are compared over this window.</summary>
        [Range(0.05, 1440)] public double WindowMinutes { get; set; } = 5;

        /// <summary>Trip when SSE's or hybrid's failure rate exceeds polling's by more than this many points.</summary>
        [Range(0, 100)] public double MarginPercent { get; set; } = 5;

        /// <summary>Distinct callers of a variant with a judged delivery in the window before it is judged.</summary>
        [Range(1, 1_000_000)] public int MinSample { get; set; } = 100;

        /// <summary><c>KillSwitch</c> (default) or <c>NotifyOnly</c>.</summary>
        [RegularExpression("^(KillSwitch|NotifyOnly)$")] public string Action { get; set; } = "KillSwitch";

        /// <summary>How often the guard looks.</summary>
        [Range(0.1, 3600)] public double IntervalSeconds { get; set; } = 10;

        /// <summary>A result a client came for, not delivered this long after completion, counts as a failed delivery.</summary>
        [Range(1, 3600)] public double DeliveryDeadlineSeconds { get; set; } = 30;
    }

    public ReportOptions Reports { get; set; } = new();

    /// <summary><c>Rollout:Reports:*</c>: what clients report about deliveries (the guard's evidence), kept for a while.</summary>
    public sealed class ReportOptions
    {
        /// <summary>Reports older than this are deleted (the guard reads only its window, at most a day).</summary>
        [Range(1, 3650)] public int RetentionDays { get; set; } = 7;

        /// <summary>How often the retention cleaner runs.</summary>
        [Range(1, 86_400)] public double CleanupIntervalSeconds { get; set; } = 3600;

        /// <summary>At most this many reports are deleted per statement, so no delete holds locks long.</summary>
        [Range(1, 100_000)] public int CleanupBatchSize { get; set; } = 1000;
    }
}
