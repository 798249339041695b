using System.Globalization;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>The data of the job stream's events (api.md, "Stream one job"), as a client reads them.</summary>
public sealed record StatusData(string Status, int Attempt);

public sealed record DeltaData(string Text);

/// <summary><c>completedAt</c> is kept as sent, so its format can be checked.</summary>
public sealed record CompletedData(string Answer, Guid SessionId, List<string> NextSuggestions, List<Source> Sources, string CompletedAt);

/// <summary>A session stream's <c>request_update</c>.</summary>
public sealed record SessionUpdate(Guid JobId, string Status, int Attempt, bool HasResult, bool HasError);

/// <summary>What a client checks in the events of one job's stream.</summary>
public static class JobEvents
{
    public static bool IsTerminal(ReceivedEvent received) => SseTestClient.TerminalTypes.Contains(received.Type);

    public static int IdOf(ReceivedEvent received) =>
        int.Parse(received.Id ?? throw new InvalidOperationException($"The {received.Type} event has no id."), CultureInfo.InvariantCulture);

    /// <summary>Every event carries an id, and the ids run <paramref name="first"/>, +1, +2, …: no gap, no duplicate.</summary>
    public static void AssertConsecutiveIds(IReadOnlyList<ReceivedEvent> events, int first)
    {
        Assert.All(events, e => Assert.NotNull(e.Id));
        Assert.Equal(Enumerable.Range(first, events.Count), events.Select(IdOf));
    }

    /// <summary>
    /// The answer so far as a client builds it: the deltas after the last <c>status</c> event, joined. The start of
    /// <c>completed</c>'s answer; all of it when the tutor wrote its text at least 75 ms apart (each piece is then
    /// flushed as it comes), none of it when the tutor wrote it all within 75 ms of the job's start.
    /// </summary>
    public static string Answer(IReadOnlyList<ReceivedEvent> events)
    {
        var lastStatus = events.ToList().FindLastIndex(e => e.Type == "status");
        return string.Concat(events.Skip(lastStatus + 1).Where(e => e.Type == "delta").Select(e => Json.Parse<DeltaData>(e.Data).Text));
    }

    /// <summary>The stream's last event, which must be <c>completed</c>.</summary>
    public static CompletedData Completed(IReadOnlyList<ReceivedEvent> events)
    {
        Assert.NotEmpty(events);
        Assert.Equal("completed", events[^1].Type);
        return Json.Parse<CompletedData>(events[^1].Data);
    }

    /// <summary>A complete stream of a job answered at the first attempt: ids 1…n, PENDING first, completed last, and the deltas make the answer.</summary>
    public static void AssertWholeAnsweredJob(IReadOnlyList<ReceivedEvent> events)
    {
        AssertConsecutiveIds(events, 1);
        Assert.Equal("status", events[0].Type);
        Assert.Equal(new StatusData("PENDING", 1), Json.Parse<StatusData>(events[0].Data));
        AssertDeltasStartTheAnswer(events);
    }

    /// <summary>
    /// The contract's rule for text: the deltas after the last status, joined, are the start of <c>completed</c>'s answer
    /// (the text written after the last flush comes in <c>completed</c> only). A repeated or reordered delta breaks it; a
    /// lost one shows as a gap in the ids, which the callers check.
    /// </summary>
    public static void AssertDeltasStartTheAnswer(IReadOnlyList<ReceivedEvent> events) =>
        Assert.StartsWith(Answer(events), Completed(events).Answer, StringComparison.Ordinal);
}

/// <summary>What a client reads from a tutor session stream.</summary>
public static class SessionEvents
{
    public static string StreamUrl(Guid sessionId) => $"{ChatApi.Tutor}/sessions/{sessionId}/stream";

    public static SessionUpdate Update(ReceivedEvent received) => Update(received.Data);

    public static SessionUpdate Update(string data) => Json.Parse<SessionUpdate>(data);
}
