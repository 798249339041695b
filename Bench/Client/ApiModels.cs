namespace BlazorJobs.Bench.Client;

/// <summary>The enqueue's <c>202</c> body (api.md, "Enqueue"); the benchmark picks the delivery itself.</summary>
public sealed record Accepted(Guid JobId, Guid SessionId, string Delivery, string StreamUrl, string PollUrl);

/// <summary>The fields of a poll body (and of the <c>completed</c> event's data) that the benchmarks read.</summary>
public sealed record JobState(string? Status, DateTimeOffset? CompletedAt);

/// <summary>One poll as the client saw it; <paramref name="ReceivedAt"/> is stamped when the body has been read.</summary>
public sealed record PollOutcome(int StatusCode, string? ETag, string? Status, DateTimeOffset? CompletedAt, DateTimeOffset ReceivedAt)
{
    public bool IsTerminal => Status is "COMPLETED" or "FAILED" or "CANCELLED";
}

/// <summary>How a job stream ended; <paramref name="ReceivedAt"/> is stamped when the parser handed over the terminal event.</summary>
public sealed record StreamOutcome(string Terminal, DateTimeOffset? CompletedAt, DateTimeOffset ReceivedAt, int Events);

/// <summary>A simulated anonymous visitor: the <c>bj_visitor</c> cookie that owns their jobs.</summary>
/// <remarks>
/// Ids are minted here (a random v4 id, the same shape the server issues) rather than fetched with a
/// throw-away enqueue, so no stray job runs ahead of a measurement. The server treats both alike.
/// </remarks>
public sealed record Visitor(string Id)
{
    public string Cookie => $"bj_visitor={Id}";

    public static Visitor[] Many(int count) => Enumerable.Range(0, count).Select(_ => new Visitor(Guid.NewGuid().ToString("N"))).ToArray();
}
