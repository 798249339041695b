using System.Net;
using System.Net.ServerSentEvents;

namespace BlazorJobs.Tests.Infrastructure;

/// <summary>An SSE event as a test sees it.</summary>
public sealed record ReceivedEvent(string Type, string Data, string? Id);

/// <summary>Reads SSE streams in tests with the platform's own parser (<see cref="SseParser"/>).</summary>
public static class SseTestClient
{
    /// <summary>Opens a stream; the response is returned unread so a test can check status and headers first.</summary>
    public static async Task<HttpResponseMessage> OpenAsync(HttpClient client, string url, string? lastEventId = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>Reads events until <paramref name="stopAfter"/> returns true for one, or the stream ends.</summary>
    public static async Task<List<ReceivedEvent>> ReadAsync(HttpResponseMessage response, Func<ReceivedEvent, bool>? stopAfter = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var events = new List<ReceivedEvent>();
        await using var body = await response.Content.ReadAsStreamAsync(cts.Token);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cts.Token))
        {
            var received = new ReceivedEvent(item.EventType, item.Data, string.IsNullOrEmpty(item.EventId) ? null : item.EventId);
            events.Add(received);
            if (stopAfter?.Invoke(received) == true)
            {
                break;
            }
        }
        return events;
    }

    /// <summary>Opens a job stream and reads it to its end (terminal event, or the server closing it).</summary>
    public static async Task<List<ReceivedEvent>> ReadJobStreamAsync(HttpClient client, string url, string? lastEventId = null)
    {
        using var response = await OpenAsync(client, url, lastEventId);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Stream answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return await ReadAsync(response);
    }

    public static readonly string[] TerminalTypes = ["completed", "failed", "cancelled"];
}
