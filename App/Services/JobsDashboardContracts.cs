namespace BlazorJobs.App.Services;

/// <summary>
/// What the operations dashboard shows, as one snapshot of the whole deployment: the queue from the
/// database, every instance from the rows they write themselves. The <c>snapshot</c> event of
/// <c>GET /api/admin/jobs/stream</c> and the body of <c>GET /api/admin/jobs</c> (api.md).
/// Job metadata and errors only: never a learner's question or answer.
/// </summary>
public sealed record JobsSnapshot(
    DateTimeOffset At,
    IReadOnlyDictionary<string, long> Depth,
    double? OldestPendingAgeSeconds,
    IReadOnlyList<InFlightJob> InFlight,
    IReadOnlyList<InFlightJob> ExpiredLeases,
    IReadOnlyList<FailedJob> Failed,
    ThroughputView Throughput,
    IReadOnlyList<InstanceView> Instances,
    DatabaseView? Database);

/// <summary>A PROCESSING job: who claimed it and until when its lease runs (past: being rescued).</summary>
public sealed record InFlightJob(Guid Id, string Kind, int Attempt, int MaxAttempts, string? ClaimedBy, DateTimeOffset? StartedAt, DateTimeOffset? LeaseExpiresAt);

public sealed record FailedJob(Guid Id, string Kind, int Attempt, string? Error, DateTimeOffset? FailedAt, string? ClaimedBy);

public sealed record ThroughputMinute(DateTimeOffset Minute, int Completed, int Failed);

/// <summary>
/// Jobs finished per minute over the last <paramref name="WindowMinutes"/>, and over the same window the
/// wake-up (due → claimed, which is the NOTIFY → LISTEN → claim path) and run (claimed → finished) times.
/// </summary>
public sealed record ThroughputView(
    int WindowMinutes, IReadOnlyList<ThroughputMinute> PerMinute, double? WakeUpMedianMs, double? WakeUpP95Ms, double? RunMedianMs, double? RunP95Ms);

/// <summary>One instance, as it last described itself; <paramref name="Stale"/> when it has not written for a while (stopped or stuck).</summary>
public sealed record InstanceView(string Id, DateTimeOffset StartedAt, DateTimeOffset LastSeenAt, bool Stale, InstanceState State);

public sealed record InstanceState(
    ListenerState Listener,
    bool WorkerRunning,
    int WorkerConcurrency,
    IReadOnlyDictionary<string, long> OpenStreams,
    IReadOnlyDictionary<string, long> JobsFinished,
    EmbeddedDatabaseState? EmbeddedDatabase);

/// <summary>
/// The instance's one LISTEN connection: up or not, times it reconnected, notifications received and when the
/// last one came, and its lag: how long its last probe NOTIFY took to be heard (null: down, or the probe was lost).
/// </summary>
public sealed record ListenerState(bool Connected, int Reconnects, long Notifications, DateTimeOffset? LastNotificationAt, double? LagMs = null);

/// <summary>The embedded PostgreSQL this instance started or joined; null on an external database.</summary>
public sealed record EmbeddedDatabaseState(int Port, string DataDirectory, bool JoinedRunningCluster);

/// <summary>The PostgreSQL server everyone shares.</summary>
public sealed record DatabaseView(string ServerVersion, DateTimeOffset StartedAt, long SizeBytes, int Connections, int MaxConnections);

public enum JobActionResult
{
    Done,
    NotFound,
    Conflict,
}

/// <summary>
/// The dashboard's actions on a job; implemented by the server. The snapshots reach the page over
/// <c>GET /api/admin/jobs/stream</c> instead (see AdminStreamConnection).
/// </summary>
public interface IJobsAdmin
{
    Task<JobActionResult> RetryAsync(Guid jobId, string admin, CancellationToken cancellationToken = default);

    Task<JobActionResult> CancelAsync(Guid jobId, string admin, CancellationToken cancellationToken = default);
}
