using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace BlazorJobs.Bench.Client;

/// <summary>One activity as a live feed stream delivered it: the benchmark's number for it, and when it landed and arrived.</summary>
public readonly record struct LiveArrival(int Number, DateTimeOffset SortDate, DateTimeOffset ReceivedAt);

/// <summary>
/// One live feed stream (<c>api/feed/stream?live=true</c>) held by the driver for target 5: the page part is
/// skipped, and every live <c>feed_items</c> event's items are kept as (number, sortDate, receive time). The
/// number is read from the title the benchmark gave the activity (<see cref="TitlePrefix"/>); other live items
/// (a tutor answer, say) are ignored. Items are kept per stream, with no lock: each stream has one reader.
/// </summary>
public sealed class LiveFeedStream : IAsyncDisposable
{
    public const string TitlePrefix = "Fan-out #";
    private static readonly byte[] LiveMark = "\"live\":true"u8.ToArray();

    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private readonly CancellationTokenSource _closing = new();
    private readonly List<LiveArrival> _arrivals = new(4096);
    private Task _reading = Task.CompletedTask;

    private LiveFeedStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _body = body;
    }

    /// <summary>The server ended the stream (or the connection broke) while the driver still held it.</summary>
    public bool Dropped { get; private set; }

    /// <summary>Everything received so far; read it only once the stream is closed or quiet.</summary>
    public IReadOnlyList<LiveArrival> Arrivals => _arrivals;

    public static async Task<LiveFeedStream> OpenAsync(HttpClient http, Visitor visitor, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/feed/stream?live=true");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.TryAddWithoutValidation("Cookie", visitor.Cookie);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            throw new HttpRequestException($"live feed stream answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 200)]}");
        }
        var stream = new LiveFeedStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
        stream._reading = stream.ReadAsync();
        return stream;
    }

    private async Task ReadAsync()
    {
        try
        {
            // Parsed from the bytes as the parser hands each event over: 50,000 events a second share the
            // machine with the server, so no string or document is made for them.
            await foreach (var item in SseParser.Create(_body, Parse).EnumerateAsync(_closing.Token))
            {
                var receivedAt = DateTimeOffset.UtcNow;
                if (item.Data is { } items)
                {
                    foreach (var (number, sortDate) in items)
                    {
                        _arrivals.Add(new LiveArrival(number, sortDate, receivedAt));
                    }
                }
            }
            Dropped = !_closing.IsCancellationRequested;
        }
        catch (Exception) when (_closing.IsCancellationRequested)
        {
            // Closed by the driver.
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            Dropped = true;
        }
    }

    /// <summary>The benchmark's items of a live <c>feed_items</c> event; null for the page's batches and other events.</summary>
    private static (int Number, DateTimeOffset SortDate)[]? Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (eventType != "feed_items" || data.IndexOf(LiveMark) < 0)
        {
            return null;
        }
        var found = new List<(int, DateTimeOffset)>(1);
        var reader = new Utf8JsonReader(data);
        int? number = null;
        DateTimeOffset? sortDate = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                (number, sortDate) = (null, null);
            }
            else if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("title"u8) && reader.Read())
            {
                var title = reader.GetString();
                if (title is not null && title.StartsWith(TitlePrefix, StringComparison.Ordinal) && int.TryParse(title.AsSpan(TitlePrefix.Length), out var n))
                {
                    number = n;
                }
            }
            else if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("sortDate"u8) && reader.Read())
            {
                sortDate = reader.GetDateTimeOffset();
            }
            else if (reader.TokenType == JsonTokenType.EndObject && number is { } n && sortDate is { } at)
            {
                found.Add((n, at));
                (number, sortDate) = (null, null);
            }
        }
        return found.Count > 0 ? found.ToArray() : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        await _body.DisposeAsync();
        _response.Dispose();
        await _reading;
        _closing.Dispose();
    }
}
