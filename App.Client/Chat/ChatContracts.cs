namespace BlazorJobs.App.Client.Chat;

// The HTTP contract's bodies (docs/api.md) as the chat components read them. They reach .NET from
// chat-interop.js, which makes the requests in the browser.

/// <summary>Where a chatbot's endpoints live and how it authenticates.</summary>
public sealed record ChatEndpoint(string BasePath, bool UsesBearerToken)
{
    /// <summary>The course tutor: signed-in learners, a bearer token fetched with the page's antiforgery token.</summary>
    public static readonly ChatEndpoint Tutor = new("/api/assistant", UsesBearerToken: true);

    /// <summary>The landing guide: anonymous visitors, the <c>bj_visitor</c> cookie.</summary>
    public static readonly ChatEndpoint Landing = new("/api/landing-assistant", UsesBearerToken: false);
}

/// <summary>
/// Where and how to follow a job, as the server said it: the <c>202</c> body of an enqueue or a
/// retry, or a history's <c>pendingJob</c>. Nothing here is built on this side.
/// </summary>
/// <param name="Delivery"><c>sse</c>, <c>hybrid</c> or <c>polling</c>: the mode stored with the job at enqueue.</param>
public sealed record ChatJob(Guid JobId, Guid SessionId, string Delivery, string StreamUrl, string PollUrl);

public sealed record ChatSource(string Title, string Url);

/// <summary>A completed job's result.</summary>
public sealed record ChatResult(string Answer, Guid SessionId, IReadOnlyList<string>? NextSuggestions, IReadOnlyList<ChatSource>? Sources);

public sealed record ChatSessionSummary(Guid SessionId, string Title, Guid? CourseId, DateTimeOffset UpdatedAt);

public sealed record ChatSessionList(IReadOnlyList<ChatSessionSummary> Sessions);

public sealed record ChatHistoryMessage(string Role, string Text, Guid JobId, string Status, IReadOnlyList<ChatSource>? Sources, DateTimeOffset CreatedAt,
    IReadOnlyList<string>? Suggestions = null);

/// <summary>The session's unfinished job; <paramref name="LastEventId"/> is where its stream resumes.</summary>
/// <param name="Delivery">The mode stored with the job at enqueue, so it resumes as it started.</param>
public sealed record ChatPendingJob(Guid JobId, string Status, long LastEventId, string Delivery, string StreamUrl, string PollUrl);

public sealed record ChatSessionHistory(Guid SessionId, IReadOnlyList<ChatHistoryMessage> Messages, ChatPendingJob? PendingJob);

/// <summary>What an enqueue sends.</summary>
/// <param name="IdempotencyKey">The same for every attempt at sending one question, so "send again" never makes two jobs.</param>
public sealed record ChatQuestion(string Question, Guid? SessionId, Guid? CourseId, Guid? LessonId, string IdempotencyKey);

/// <summary>
/// One batched change to a job, as the module saw it (at most one per ~50 ms): <see cref="Text"/>
/// is appended, or replaces the text when <see cref="Reset"/> (a new attempt starts afresh).
/// </summary>
/// <param name="Mode">The caller's delivery mode for this job.</param>
/// <param name="Transport">What is carrying it now: <c>sse</c> or <c>polling</c>.</param>
public sealed record JobUpdate(
    Guid JobId, bool Reset, string? Text, string? Status, int? Attempt, string? Stage, string? Message, string? Mode, string? Transport);

/// <summary>How a delivery ended without a result.</summary>
/// <param name="Kind"><c>failed</c>, <c>cancelled</c>, <c>timeout</c>, <c>network</c>, <c>http</c> or <c>auth</c>.</param>
/// <param name="LastEventId">Where to resume ("keep waiting").</param>
/// <param name="Status">The HTTP status for <c>http</c>, otherwise 0.</param>
public sealed record JobEnd(Guid JobId, string Kind, string Message, string? LastEventId, int Status);

/// <summary>A <c>request_update</c> of the session stream about a job this page is not following.</summary>
public sealed record SessionActivity(Guid JobId, string Status, int Attempt, bool HasResult, bool HasError);

/// <summary>The outcome of one request made by the module: never an exception.</summary>
/// <param name="Status">The HTTP status, or 0 when the server was not reached.</param>
/// <param name="Offline">The browser says it has no network.</param>
public sealed record ApiOutcome<T>(bool Ok, int Status, string? Title, string? Detail, bool Offline, string? RetryAfter, T? Data);
