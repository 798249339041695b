namespace BlazorJobs.Server.Data.Entities;

/// <summary>A conversation with one of the chatbots.</summary>
public sealed class ChatSession
{
    public Guid Id { get; set; }
    public required string Kind { get; set; }
    public required string OwnerKey { get; set; }
    public Guid? CourseId { get; set; }
    /// <summary>The first question, shortened.</summary>
    public required string Title { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A message of a session: the user's question, or the assistant's answer once its job completed.</summary>
public sealed class ChatMessage
{
    public long Id { get; set; }
    public Guid SessionId { get; set; }
    public Guid JobId { get; set; }
    /// <summary><c>user</c> or <c>assistant</c>.</summary>
    public required string Role { get; set; }
    public required string Text { get; set; }
    /// <summary>JSON array of cited sources, for assistant messages.</summary>
    public string? Sources { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
