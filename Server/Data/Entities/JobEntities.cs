namespace BlazorJobs.Server.Data.Entities;

/// <summary>A question waiting for, or holding, its answer. The queue's one table.</summary>
public sealed class Job
{
    public Guid Id { get; set; }
    /// <summary><c>tutor</c> or <c>landing</c>: which chatbot, and so which endpoints may see it.</summary>
    public required string Kind { get; set; }
    /// <summary><c>user:{id}</c> or <c>visitor:{id}</c>; a caller only ever sees jobs with its own key.</summary>
    public required string OwnerKey { get; set; }
    public Guid SessionId { get; set; }
    public required string Question { get; set; }
    public Guid? CourseId { get; set; }
    public Guid? LessonId { get; set; }
    public required string Status { get; set; }
    public int Attempt { get; set; }
    public int MaxAttempts { get; set; }
    /// <summary>A pending job is not claimed before this (retry back-off).</summary>
    public DateTimeOffset RunAfter { get; set; }
    /// <summary>The claiming worker's fence: every write it makes checks this token.</summary>
    public Guid? LeaseToken { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    /// <summary>The instance that last claimed the job (<c>Operations/InstanceIdentity</c>), for the operations dashboard.</summary>
    public string? ClaimedBy { get; set; }
    /// <summary>Sequence number of the job's last event (event ids of its stream).</summary>
    public int LastEventSeq { get; set; }
    /// <summary>sse, hybrid or polling: the delivery mode the caller was given at enqueue.</summary>
    public required string DeliveryMode { get; set; }
    /// <summary>The mode was forced (kill switch or Delivery:DefaultMode), not drawn by the rollout: the guard leaves it out.</summary>
    public bool DeliveryForced { get; set; }
    /// <summary>The result JSON (answer, sources, suggestions) once completed.</summary>
    public string? Result { get; set; }
    public string? ErrorMessage { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>When the finished result first reached the client (stream or poll), for delivery latency.</summary>
    public DateTimeOffset? DeliveredAt { get; set; }
    /// <summary>
    /// When a client first came for the answer (opened the job's stream or polled it): only such a job is a
    /// delivery the guard judges; a question nobody waits for is not a failed delivery.
    /// </summary>
    public DateTimeOffset? RequestedAt { get; set; }
}

/// <summary>One step of a job, kept so a reconnecting stream can be replayed from <c>Last-Event-ID</c>.</summary>
public sealed class JobEvent
{
    /// <summary>Global id, used by session streams to resume across all of a session's jobs.</summary>
    public long Id { get; set; }
    public Guid JobId { get; set; }
    /// <summary>The job's own event number: 1, 2, 3… — the <c>id:</c> of the job stream.</summary>
    public int Seq { get; set; }
    public required string Type { get; set; }
    public required string Data { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Remembers an <c>Idempotency-Key</c> for <c>Jobs:IdempotencyWindowHours</c> (24 by default) so a retried enqueue returns the same job.</summary>
public sealed class IdempotencyKey
{
    public required string OwnerKey { get; set; }
    public required string Key { get; set; }
    public Guid JobId { get; set; }
    public required string QuestionHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>What a browser reported about a delivery (a hybrid fallback, a stream it gave up on).</summary>
public sealed class DeliveryReport
{
    public long Id { get; set; }
    public Guid JobId { get; set; }
    public required string Mode { get; set; }
    public required string Kind { get; set; }
    public string? Detail { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
