using System.Text.Json;
using BlazorJobs.Server.Jobs;

namespace BlazorJobs.Tests.Integration.Queue;

/// <summary>A job's row as the tests inspect it.</summary>
public sealed record JobRow(string Status, int Attempt, int MaxAttempts, int LastEventSeq, string? ErrorMessage, Guid? LeaseToken);

/// <summary>One row of <c>job_events</c>.</summary>
public sealed record EventRow(int Seq, string Type, string Data, DateTimeOffset CreatedAt)
{
    /// <summary>A status event as "STATUS attempt" (e.g. "PENDING 2"); any other event as its type.</summary>
    public string Describe()
    {
        if (Type != JobEventType.Status)
        {
            return Type;
        }
        using var data = JsonDocument.Parse(Data);
        return $"{data.RootElement.GetProperty("status").GetString()} {data.RootElement.GetProperty("attempt").GetInt32()}";
    }
}
