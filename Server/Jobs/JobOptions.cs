using System.ComponentModel.DataAnnotations;

namespace BlazorJobs.Server.Jobs;

/// <summary>How jobs are retried and kept (<c>Jobs:*</c>).</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>Attempts a job gets (first run included) before it is marked FAILED.</summary>
    [Range(1, 20)] public int MaxAttempts { get; set; } = 3;

    /// <summary>First retry delay; doubled for each further attempt.</summary>
    [Range(0.01, 600)] public double BackoffSeconds { get; set; } = 2;

    /// <summary>A claimed job's lease; the worker renews it every third of this, and an expired one is reclaimed.</summary>
    [Range(1, 600)] public double LeaseSeconds { get; set; } = 30;

    /// <summary>Finished jobs and their events are deleted after this many days.</summary>
    [Range(0.0001, 3650)] public double RetentionDays { get; set; } = 7;

    /// <summary>How long an <c>Idempotency-Key</c> is remembered: a repeat within it returns the first job (api.md).</summary>
    [Range(0.01, 8760)] public double IdempotencyWindowHours { get; set; } = 24;

    public TimeSpan IdempotencyWindow => TimeSpan.FromHours(IdempotencyWindowHours);

    /// <summary>Rows deleted per cleaner statement: small batches keep locks and WAL bursts short.</summary>
    [Range(1, 100_000)] public int CleanupBatchSize { get; set; } = 500;

    [Range(1, 86_400)] public double CleanupIntervalSeconds { get; set; } = 600;
}

/// <summary>The in-process worker (<c>Worker:*</c>).</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    public bool Enabled { get; set; } = true;

    /// <summary>Jobs answered at once by this process.</summary>
    [Range(1, 256)] public int Concurrency { get; set; } = 4;

    /// <summary>The safety sweep: expired leases, due retries and notifications lost while the listener reconnected.</summary>
    [Range(0.1, 3600)] public double SweepSeconds { get; set; } = 10;
}
