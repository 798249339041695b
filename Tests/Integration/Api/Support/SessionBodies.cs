using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Api.Support;

/// <summary>The session endpoints' bodies (api.md, "Bodies of the session endpoints"), as a client reads them.</summary>
public sealed record SessionListBody(List<SessionSummaryBody> Sessions);

public sealed record SessionSummaryBody(Guid SessionId, string Title, Guid? CourseId, DateTimeOffset UpdatedAt);

public sealed record HistoryMessageBody(string Role, string Text, Guid JobId, string Status, List<Source>? Sources, DateTimeOffset CreatedAt);

public sealed record PendingJobBody(Guid JobId, string Status, int LastEventId, string Delivery, string StreamUrl, string PollUrl);

public sealed record SessionHistoryBody(Guid SessionId, List<HistoryMessageBody> Messages, PendingJobBody? PendingJob);

public sealed record CancelBody(Guid JobId, string Status);
