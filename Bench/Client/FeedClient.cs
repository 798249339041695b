using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace BlazorJobs.Bench.Client;

/// <summary>A feed item as <c>GET /api/feed</c> returns it (api.md, "Live feed"); the benchmark reads the id and order.</summary>
public sealed record FeedItemBody(string Id, string Type, string Title, DateTimeOffset SortDate);

/// <summary>The JSON page.</summary>
public sealed record FeedPageBody(IReadOnlyList<FeedItemBody> Items, string? NextCursor);

/// <summary>One JSON page as the client saw it: the time until the parsed body was in hand.</summary>
public sealed record FeedPageTiming(TimeSpan Complete, IReadOnlyList<string> Ids);

/// <summary>
/// One feed stream as the client saw it: times from sending the request to the first <c>feed_items</c>
/// event and to <c>feed_complete</c>, and how many batches came (a cached page is one batch, an
/// assembled one a batch per source group).
/// </summary>
public sealed record FeedStreamTiming(TimeSpan FirstBatch, TimeSpan Complete, int Batches, int GroupErrors, int TotalItems);

/// <summary>
/// The live feed's HTTP contract as a browser's feed page uses it: the JSON page and the progressive
/// stream. Its own pooled handler, apart from the landing client's, so its connections are warm and
/// its requests are not counted as the landing guide's.
/// </summary>
public sealed class FeedClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;

    public FeedClient(Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<FeedPageTiming> GetPageAsync(CancellationToken cancellationToken)
    {
        using var timeout = WithTimeout(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        using var response = await _http.GetAsync("api/feed", HttpCompletionOption.ResponseContentRead, timeout.Token);
        await EnsureOkAsync(response, "feed page");
        var page = await response.Content.ReadFromJsonAsync<FeedPageBody>(LandingClient.Json, timeout.Token);
        var complete = Stopwatch.GetElapsedTime(started);
        return new FeedPageTiming(complete, page?.Items.Select(i => i.Id).ToList() ?? []);
    }

    /// <summary>
    /// The first page's stream with <c>live=false</c>: the page part is the same as a live stream's, and the
    /// server then ends the response, so the connection goes back to the pool instead of being torn down
    /// (which would add a TCP handshake to every following measurement).
    /// </summary>
    public async Task<FeedStreamTiming> StreamPageAsync(CancellationToken cancellationToken)
    {
        using var timeout = WithTimeout(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/feed/stream?live=false");
        request.Headers.Accept.ParseAdd("text/event-stream");
        var started = Stopwatch.GetTimestamp();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await EnsureOkAsync(response, "feed stream");
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        TimeSpan? first = null;
        int batches = 0, errors = 0;
        await foreach (var item in SseParser.Create(body).EnumerateAsync(timeout.Token))
        {
            // Stamped as the parser hands the event over, before its JSON is read: what a browser's handler sees.
            var elapsed = Stopwatch.GetElapsedTime(started);
            switch (item.EventType)
            {
                case "feed_items":
                    first ??= elapsed;
                    batches++;
                    break;
                case "feed_error":
                    errors++;
                    break;
                case "feed_complete":
                {
                    using var complete = JsonDocument.Parse(item.Data);
                    return new FeedStreamTiming(first ?? elapsed, elapsed, batches, errors, complete.RootElement.GetProperty("totalItems").GetInt32());
                }
            }
        }
        throw new HttpRequestException("The feed stream ended without feed_complete.");
    }

    private static CancellationTokenSource WithTimeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(RequestTimeout);
        return source;
    }

    private static async Task EnsureOkAsync(HttpResponseMessage response, string what)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new HttpRequestException($"{what} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}", null, response.StatusCode);
        }
    }

    public void Dispose() => _http.Dispose();
}
