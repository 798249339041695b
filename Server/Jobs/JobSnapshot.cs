namespace BlazorJobs.Server.Jobs;

/// <summary>A job as its owner may see it.</summary>
public sealed record JobSnapshot(
    Guid Id,
    Guid SessionId,
    string Status,
    int Attempt,
    int LastEventSeq,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? Result,
    string? ErrorMessage,
    string DeliveryMode)
{
    /// <summary>Changes whenever the job does (every state change writes an event), so it makes a strong ETag.</summary>
    public string ETag => $"\"{Id:N}-{LastEventSeq}\"";
}
