using System.Globalization;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace BlazorJobs.Bench.Client;

/// <summary>How one job's delivery went, over every connection its client made.</summary>
/// <param name="Completed">How many <c>completed</c> events arrived: the contract says exactly one.</param>
/// <param name="RepeatedIds">Events whose id was at or below one already received: a reconnect must replay none.</param>
/// <param name="ReceivedAt">When the first <c>completed</c> was in the client's hands.</param>
/// <param name="Connections">Stream connections it took (1 unless the server ended one early).</param>
public sealed record JobDelivery(Guid JobId, string Terminal, int Completed, int RepeatedIds, DateTimeOffset? CompletedAt, DateTimeOffset? ReceivedAt, int Connections)
{
    public TimeSpan? Latency => ReceivedAt - CompletedAt;
}

/// <summary>
/// Reads a job's stream the way docs/api.md tells any client to: to the end of the response, not just to the first
/// terminal event (so a second <c>completed</c> would be seen), and when a connection ends without a terminal event or
/// with <c>timeout</c>, again with <c>Last-Event-ID</c>, until the job's terminal event or a <c>204</c>. Every event id is
/// checked against the ones before it, so a replayed event shows as a repeat.
/// </summary>
public static class ResumingJobStream
{
    private static readonly HashSet<string> Terminal = ["completed", "failed", "cancelled"];
    /// <summary>Events the server sends without an id (the parser would carry the previous one over to them).</summary>
    private static readonly HashSet<string> WithoutId = ["connected", "timeout", "delivery_disabled", "reauthenticate"];
    private const int MaxConnections = 20;
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(250);

    /// <param name="onOpen">Runs once, when the first connection's headers are in (the subscription is in place).</param>
    public static async Task<JobDelivery> ReadAsync(HttpClient http, Visitor visitor, Accepted job, Action onOpen, CancellationToken cancellationToken)
    {
        int? lastId = null;
        var completed = 0;
        var repeated = 0;
        DateTimeOffset? completedAt = null, receivedAt = null;
        string? terminal = null;
        for (var connection = 1; connection <= MaxConnections; connection++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, job.StreamUrl.TrimStart('/'));
            request.Headers.Accept.ParseAdd("text/event-stream");
            request.Headers.TryAddWithoutValidation("Cookie", visitor.Cookie);
            if (lastId is { } id)
            {
                request.Headers.TryAddWithoutValidation("Last-Event-ID", id.ToString(CultureInfo.InvariantCulture));
            }
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (connection == 1)
            {
                onOpen();
            }
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                // The job is finished and everything was sent: what was received is all there is.
                return new JobDelivery(job.JobId, terminal ?? "no content", completed, repeated, completedAt, receivedAt, connection);
            }
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new HttpRequestException($"stream answered {(int)response.StatusCode}", null, response.StatusCode);
            }
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var resume = false;
            await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
            {
                var now = DateTimeOffset.UtcNow;
                if (!WithoutId.Contains(item.EventType) && int.TryParse(item.EventId, CultureInfo.InvariantCulture, out var eventId))
                {
                    if (eventId <= lastId)
                    {
                        repeated++;
                    }
                    lastId = Math.Max(eventId, lastId ?? eventId);
                }
                if (item.EventType == "completed")
                {
                    if (completed++ == 0)
                    {
                        receivedAt = now;
                        completedAt = JsonSerializer.Deserialize<JobState>(item.Data, LandingClient.Json)?.CompletedAt;
                    }
                }
                if (Terminal.Contains(item.EventType))
                {
                    terminal ??= item.EventType;
                }
                resume |= item.EventType == "timeout";
                // Read on past the terminal event: the server ends the response, and anything after it would be a duplicate.
            }
            if (terminal is not null && !resume)
            {
                return new JobDelivery(job.JobId, terminal, completed, repeated, completedAt, receivedAt, connection);
            }
            await Task.Delay(Retry, cancellationToken);
        }
        return new JobDelivery(job.JobId, terminal ?? "gave up", completed, repeated, completedAt, receivedAt, MaxConnections);
    }
}
