using System.Globalization;

namespace BlazorJobs.Bench.Hosting;

/// <summary>
/// How one benchmark scenario configures the server: the synthetic tutor's job duration, the worker,
/// and limits raised so that the benchmark, not a rate limiter, sets the load. Everything goes
/// through environment variables, as an operator would set it.
/// </summary>
public sealed record ServerConfig(string Name, int JobDurationMs, int WorkerConcurrency, bool WorkerEnabled = true, int Deltas = 1)
{
    /// <summary>A scenario's own settings (configuration keys as environment variables), applied last.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Environment(Uri url, string dataDirectory) =>
        Defaults(url, dataDirectory).Concat(Settings).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    private IReadOnlyDictionary<string, string> Defaults(Uri url, string dataDirectory) => new Dictionary<string, string>
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/'),
        ["EmbeddedPostgres__DataDirectory"] = dataDirectory,
        ["Tutor__Provider"] = "Synthetic",
        ["Tutor__Synthetic__DurationMs"] = Text(JobDurationMs),
        // One delta per answer: the job's own writes are the same in every delivery mode, so keep them few.
        ["Tutor__Synthetic__Deltas"] = Text(Deltas),
        ["Worker__Enabled"] = WorkerEnabled ? "true" : "false",
        ["Worker__Concurrency"] = Text(WorkerConcurrency),
        ["RateLimits__Landing__PermitsPerMinute"] = "1000000",
        ["RateLimits__Tutor__PermitsPerMinute"] = "1000000",
        ["RateLimits__Landing__PerIpPermitsPerMinute"] = "10000000",
        ["Streams__MaxOpenPerCaller"] = "100000",
        ["Streams__MaxOpenPerIp"] = "10000000",
        ["RateLimits__SignIn__PerIpPermitsPerMinute"] = "10000000",
        ["RateLimits__Register__PerIpPermitsPerMinute"] = "10000000",
        // Long waits (a deep queue, 60 s jobs) must not end in the stream's own timeout.
        ["Streams__TimeoutSeconds"] = "3600",
        ["Logging__LogLevel__Default"] = "Warning",
        // The rollout guard reads an answer nobody collected within 30 s (the enqueue-only waves) as a failed
        // SSE delivery, and would switch streaming off for the rest of the run: let it only notify.
        ["Rollout__Guard__Action"] = "NotifyOnly",
        // Fixed demo passwords: a generated one sometimes lacks a digit and the server then fails to start.
        ["DemoAccounts__LearnerPassword"] = LearnerPassword,
        ["DemoAccounts__AdminPassword"] = "Bench-admin-1",
    };

    /// <summary>The demo learner (<c>learner@example.com</c>) signs in with this in every scenario.</summary>
    public const string LearnerPassword = "Bench-learner-1";

    /// <summary>Variables a developer's shell may carry that would change what is measured.</summary>
    public static readonly string[] Removed = ["ConnectionStrings__Default", "Delivery__DefaultMode", "Delivery__KillSwitch", "DOTNET_ENVIRONMENT"];

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
