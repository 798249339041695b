using System.Diagnostics;
using System.Net;

namespace BlazorJobs.Bench.Client;

/// <summary>
/// One idle SSE stream held open by the driver (target 4): reads the raw bytes, because the platform's
/// <c>SseParser</c> hides comments and the heartbeats are what is measured: how many arrived, the longest
/// silence between two, and whether the server ended the stream before the driver closed it (a drop).
/// </summary>
public sealed class IdleStream : IAsyncDisposable
{
    private static readonly byte[] HeartbeatMark = "heartbeat"u8.ToArray();
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private readonly CancellationTokenSource _closing = new();
    private long _lastHeartbeat = Stopwatch.GetTimestamp();
    private Task _reading = Task.CompletedTask;

    private IdleStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _body = body;
    }

    public int Heartbeats { get; private set; }

    /// <summary>The longest wait between two heartbeats (or from the opening to the first) since <see cref="ResetCounts"/>.</summary>
    public TimeSpan LongestSilence { get; private set; }

    /// <summary>The server ended the stream (or the connection broke) while the driver still held it.</summary>
    public bool Dropped { get; private set; }

    public static async Task<IdleStream> OpenAsync(HttpClient http, string url, Action<HttpRequestMessage> prepare, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url.TrimStart('/'));
        request.Headers.Accept.ParseAdd("text/event-stream");
        prepare(request);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            throw new HttpRequestException($"stream {url} answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 200)]}");
        }
        var stream = new IdleStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
        stream._reading = stream.ReadAsync();
        return stream;
    }

    /// <summary>Starts a measurement window: counts and the longest silence from now on.</summary>
    public void ResetCounts()
    {
        Heartbeats = 0;
        LongestSilence = TimeSpan.Zero;
        Interlocked.Exchange(ref _lastHeartbeat, Stopwatch.GetTimestamp());
    }

    /// <summary>The silence so far since the last heartbeat counts too: a stream that went quiet at the end is late.</summary>
    public TimeSpan LongestSilenceUntilNow() =>
        LongestSilence > Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastHeartbeat)) ? LongestSilence : Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastHeartbeat));

    private async Task ReadAsync()
    {
        var buffer = new byte[512];
        try
        {
            while (true)
            {
                var read = await _body.ReadAsync(buffer, _closing.Token);
                if (read == 0)
                {
                    Dropped = !_closing.IsCancellationRequested;
                    return;
                }
                // A heartbeat is 13 bytes, flushed alone: it never straddles two reads on loopback in practice,
                // and a miss would only show as a longer silence, never as a shorter one.
                if (buffer.AsSpan(0, read).IndexOf(HeartbeatMark) >= 0)
                {
                    var now = Stopwatch.GetTimestamp();
                    var silence = Stopwatch.GetElapsedTime(Interlocked.Exchange(ref _lastHeartbeat, now), now);
                    if (silence > LongestSilence)
                    {
                        LongestSilence = silence;
                    }
                    Heartbeats++;
                }
            }
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

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        await _body.DisposeAsync();
        _response.Dispose();
        await _reading;
        _closing.Dispose();
    }
}
