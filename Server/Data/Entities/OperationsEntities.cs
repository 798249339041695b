namespace BlazorJobs.Server.Data.Entities;

/// <summary>
/// One running server instance's own state, written by itself every few seconds (<c>Operations/InstanceHeartbeatWriter</c>)
/// so the operations dashboard of any instance can show every instance.
/// </summary>
public sealed class InstanceHeartbeat
{
    /// <summary>The instance's id for its lifetime (<c>Operations/InstanceIdentity</c>), also stamped on the jobs it claims.</summary>
    public required string Id { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    /// <summary>Listener, worker, streams by kind, jobs finished, database: the JSON of <c>InstanceState</c>.</summary>
    public required string State { get; set; }
}

/// <summary>What an admin did to a job from the operations dashboard or its API.</summary>
public sealed class AdminAuditEntry
{
    public long Id { get; set; }
    public required string Admin { get; set; }
    /// <summary><c>retry</c> or <c>cancel</c>.</summary>
    public required string Action { get; set; }
    public Guid JobId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
