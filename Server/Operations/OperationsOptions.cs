using System.ComponentModel.DataAnnotations;

namespace BlazorJobs.Server.Operations;

/// <summary><c>Operations:*</c>: how often instances describe themselves and how the dashboard refreshes.</summary>
public sealed class OperationsOptions
{
    public const string Section = "Operations";

    /// <summary>How often each instance writes its <c>instance_heartbeats</c> row.</summary>
    [Range(0.2, 300)] public double HeartbeatSeconds { get; set; } = 5;

    /// <summary>A row not written for this long is shown greyed as stale (the instance stopped or is stuck).</summary>
    [Range(1, 3600)] public double StaleAfterSeconds { get; set; } = 20;

    /// <summary>A row not written for this long is deleted by the next heartbeat of any instance.</summary>
    [Range(1, 10080)] public double ForgetAfterMinutes { get; set; } = 60;

    /// <summary>How often the shared snapshot is refreshed while someone watches, and so how often the stream sends it.</summary>
    [Range(0.2, 60)] public double SnapshotSeconds { get; set; } = 2;

    /// <summary>The window of the throughput and latency figures.</summary>
    [Range(1, 60)] public int WindowMinutes { get; set; } = 10;
}
