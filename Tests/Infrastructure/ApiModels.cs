using System.Text.Json;

namespace BlazorJobs.Tests.Infrastructure;

/// <summary>The contract's bodies, as a client reads them.</summary>
public sealed record Accepted(Guid JobId, Guid SessionId, string Delivery, string StreamUrl, string PollUrl);

public sealed record Source(string Title, string Url);

public sealed record JobResult(string Answer, Guid SessionId, List<string> NextSuggestions, List<Source> Sources);

public sealed record PollBody(Guid JobId, string Status, int Attempt, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, JobResult? Result, string? ErrorMessage);

public sealed record Problem(int Status, string Title, string? Detail, string? Type);

public static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;
}
