namespace BlazorJobs.Server.Delivery;

/// <summary><c>Delivery:*</c>: how answers travel to browsers.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>When set (sse, hybrid, polling), everyone gets this mode, over the rollout flag (tests and support).</summary>
    public string? DefaultMode { get; set; }

    /// <summary>Forces the kill switch on (an environment can only force it on, never off).</summary>
    public bool KillSwitch { get; set; }
}

/// <summary>The three ways an answer can reach a browser.</summary>
public static class DeliveryMode
{
    public const string Sse = "sse";
    public const string Hybrid = "hybrid";
    public const string Polling = "polling";

    public static readonly string[] All = [Sse, Hybrid, Polling];

    public static string? Normalize(string? mode) => All.FirstOrDefault(m => string.Equals(m, mode?.Trim(), StringComparison.OrdinalIgnoreCase));
}
