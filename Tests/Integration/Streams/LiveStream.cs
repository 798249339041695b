using System.Net;
using System.Net.ServerSentEvents;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>
/// An open SSE response read a few events at a time (<see cref="SseTestClient.ReadAsync"/> reads a
/// response once; these tests read some events, act, then read on from the same connection).
/// </summary>
public sealed class LiveStream : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _cancel = new();
    private readonly IAsyncEnumerator<SseItem<string>> _items;

    private LiveStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _items = SseParser.Create(body).EnumerateAsync(_cancel.Token).GetAsyncEnumerator(_cancel.Token);
    }

    /// <summary>Every event read so far, in order.</summary>
    public List<ReceivedEvent> Received { get; } = [];

    /// <summary>True once the server has closed the stream.</summary>
    public bool Ended { get; private set; }

    public static async Task<LiveStream> OpenAsync(HttpClient client, string url, string? lastEventId = null)
    {
        var response = await OpenOkAsync(client, url, lastEventId);
        return new LiveStream(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>Opens a stream that must answer 200; its body is left unread.</summary>
    public static async Task<HttpResponseMessage> OpenOkAsync(HttpClient client, string url, string? lastEventId)
    {
        var response = await SseTestClient.OpenAsync(client, url, lastEventId);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new InvalidOperationException($"Stream {url} answered {(int)response.StatusCode}: {body}");
        }
        return response;
    }

    /// <summary>The next event, or null when the server closed the stream.</summary>
    public async Task<ReceivedEvent?> NextAsync(TimeSpan? timeout = null)
    {
        _cancel.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            if (!await _items.MoveNextAsync())
            {
                Ended = true;
                return null;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No event within {timeout ?? DefaultTimeout}; received so far: {string.Join(", ", Received.Select(e => $"{e.Type}#{e.Id}"))}");
        }
        _cancel.CancelAfter(Timeout.InfiniteTimeSpan);
        var item = _items.Current;
        var received = new ReceivedEvent(item.EventType, item.Data, string.IsNullOrEmpty(item.EventId) ? null : item.EventId);
        Received.Add(received);
        return received;
    }

    /// <summary>Reads until an event matches <paramref name="stop"/> (included) or the stream ends; returns the events read by this call.</summary>
    public async Task<List<ReceivedEvent>> ReadUntilAsync(Func<ReceivedEvent, bool> stop, TimeSpan? timeout = null)
    {
        var read = new List<ReceivedEvent>();
        while (await NextAsync(timeout) is { } received)
        {
            read.Add(received);
            if (stop(received))
            {
                break;
            }
        }
        return read;
    }

    /// <summary>Reads <paramref name="count"/> events.</summary>
    public async Task<List<ReceivedEvent>> ReadAsync(int count, TimeSpan? timeout = null)
    {
        var read = new List<ReceivedEvent>();
        while (read.Count < count)
        {
            read.Add(await NextAsync(timeout) ?? throw new InvalidOperationException($"The stream ended after {read.Count} of {count} events."));
        }
        return read;
    }

    /// <summary>Reads until the server closes the stream.</summary>
    public Task<List<ReceivedEvent>> ReadToEndAsync(TimeSpan? timeout = null) => ReadUntilAsync(_ => false, timeout);

    /// <summary>Leaves: the connection is closed (see <see cref="StreamClients"/> for why at once).</summary>
    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        try
        {
            await _items.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
        }
        _response.Dispose();
        _cancel.Dispose();
    }
}
