using System.Net.ServerSentEvents;
using System.Text.Json;

namespace BlazorJobs.Bench.Client;

/// <summary>One open job stream, read with the platform's <see cref="SseParser"/> until its terminal event.</summary>
public sealed class JobStream(HttpRequestMessage request, HttpResponseMessage response, Stream body) : IAsyncDisposable
{
    private static readonly HashSet<string> Terminal = ["completed", "failed", "cancelled", "timeout", "delivery_disabled"];

    /// <summary>
    /// Reads events until a terminal one. The receive time is taken the moment the parser hands the
    /// event over — before its JSON is looked at — which is what a browser's <c>onEvent</c> would see.
    /// <paramref name="onEvent"/> sees every event with that time (target 5 times each delta).
    /// </summary>
    public async Task<StreamOutcome> ReadToTerminalAsync(CancellationToken cancellationToken, Action<SseItem<string>, DateTimeOffset>? onEvent = null)
    {
        var events = 0;
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            var receivedAt = DateTimeOffset.UtcNow;
            events++;
            onEvent?.Invoke(item, receivedAt);
            if (Terminal.Contains(item.EventType))
            {
                var completedAt = item.EventType == "completed"
                    ? JsonSerializer.Deserialize<JobState>(item.Data, LandingClient.Json)?.CompletedAt
                    : null;
                return new StreamOutcome(item.EventType, completedAt, receivedAt, events);
            }
        }
        return new StreamOutcome("closed", null, DateTimeOffset.UtcNow, events);
    }

    public async ValueTask DisposeAsync()
    {
        await body.DisposeAsync();
        response.Dispose();
        request.Dispose();
    }
}
