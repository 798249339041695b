using System.ComponentModel.DataAnnotations;

namespace BlazorJobs.Server.Streaming;

/// <summary><c>Streams:*</c>: how SSE streams behave.</summary>
public sealed class StreamOptions
{
    public const string Section = "Streams";

    /// <summary>A <c>: heartbeat</c> comment is written after this much silence, so proxies and clients know the stream is alive.</summary>
    [Range(0.05, 3600)] public double HeartbeatSeconds { get; set; } = 15;

    /// <summary>
    /// How long a client waits in silence before it treats the stream as dropped: three heartbeats, so one
    /// late heartbeat (a slow proxy, a GC pause) is not a drop. 45 s with the default heartbeat. Every
    /// stream announces it in its <c>Heartbeat-Timeout-Ms</c> header (and <c>GET /api/delivery</c> in
    /// <c>heartbeatTimeoutMs</c>), so the browser's watchdog cannot drift from the server's heartbeat.
    /// </summary>
    public int ClientSilenceLimitMilliseconds => (int)Math.Ceiling(HeartbeatSeconds * 3 * 1000);

    /// <summary>A stream waits this long at most, then sends <c>timeout</c>; the job goes on and the client may resume.</summary>
    [Range(0.1, 86_400)] public double TimeoutSeconds { get; set; } = 90;

    /// <summary>Streams one caller may hold open at once.</summary>
    [Range(1, 100_000)] public int MaxOpenPerCaller { get; set; } = 20;

    /// <summary>Anonymous streams (landing jobs, feed) one IP may hold open at once, whatever their visitor cookies.</summary>
    [Range(1, 10_000_000)] public int MaxOpenPerIp { get; set; } = 200;

    /// <summary>The <c>retry:</c> sent first: how long a client waits before reconnecting.</summary>
    [Range(100, 600_000)] public int ReconnectMilliseconds { get; set; } = 2000;
}
