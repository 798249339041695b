using System.ComponentModel.DataAnnotations;

namespace BlazorJobs.Server.Chat;

/// <summary><c>Chat:*</c>.</summary>
public sealed class ChatOptions
{
    public const string Section = "Chat";

    /// <summary>Sessions idle this long are deleted with their messages and finished jobs.</summary>
    [Range(0.0001, 36500)] public double RetentionDays { get; set; } = 90;
}
