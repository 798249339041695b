using System.Buffers;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace BlazorJobs.Server.Streaming;

/// <summary>
/// The one writer of an SSE response, so nothing interleaves. Events go through
/// <see cref="SseFormatter"/>; the opening <c>retry:</c> and the heartbeat comments are written by
/// hand because the formatter writes no comments (dotnet/aspnetcore#65103) and always adds a
/// <c>data:</c> line. <c>TypedResults.ServerSentEvents</c> is not used: it overwrites
/// <c>Cache-Control</c> and sets no <c>X-Accel-Buffering</c>.
/// </summary>
public sealed class SseResponseWriter
{
    private static readonly byte[] Heartbeat = ": heartbeat\n\n"u8.ToArray();
    private readonly HttpResponse _response;
    private readonly StreamMetrics _metrics;
    private readonly string _endpoint;

    private SseResponseWriter(HttpResponse response, StreamMetrics metrics, string endpoint)
    {
        _response = response;
        _metrics = metrics;
        _endpoint = endpoint;
    }

    /// <summary>Events and heartbeats written so far: what tells a wait loop the client heard something.</summary>
    public long Writes { get; private set; }

    /// <summary>The header that tells the client how long a silence means a dropped stream (<see cref="StreamOptions.ClientSilenceLimitMilliseconds"/>).</summary>
    public const string SilenceLimitHeader = "Heartbeat-Timeout-Ms";

    /// <summary>Sends the headers and the <c>retry:</c> field at once, before there is any news.</summary>
    public static async Task<SseResponseWriter> StartAsync(HttpContext context, StreamOptions options, StreamMetrics metrics, string endpoint)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no";
        // The browser's watchdog takes its limit from here, so it follows Streams:HeartbeatSeconds.
        response.Headers[SilenceLimitHeader] = options.ClientSilenceLimitMilliseconds.ToString(CultureInfo.InvariantCulture);
        // Nothing between us and the socket may hold bytes back.
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"retry: {options.ReconnectMilliseconds}\n\n"), context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);
        return new SseResponseWriter(response, metrics, endpoint);
    }

    /// <summary>Writes one event; <paramref name="data"/> is already JSON.</summary>
    public async Task WriteEventAsync(string type, string data, string? id, CancellationToken cancellationToken)
    {
        var item = new SseItem<string>(data, type) { EventId = id };
        await SseFormatter.WriteAsync(One(item), _response.Body, WriteUtf8, cancellationToken);
        await _response.Body.FlushAsync(cancellationToken);
        Writes++;
        _metrics.EventWritten(_endpoint, type);
    }

    public async Task WriteHeartbeatAsync(CancellationToken cancellationToken)
    {
        await _response.Body.WriteAsync(Heartbeat, cancellationToken);
        await _response.Body.FlushAsync(cancellationToken);
        Writes++;
        _metrics.HeartbeatWritten(_endpoint);
    }

    private static void WriteUtf8(SseItem<string> item, IBufferWriter<byte> writer) => Encoding.UTF8.GetBytes(item.Data, writer);

#pragma warning disable CS1998 // a synchronous sequence of one item, in the shape the formatter takes
    private static async IAsyncEnumerable<SseItem<string>> One(SseItem<string> item)
    {
        yield return item;
    }
#pragma warning restore CS1998
}
