using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Api.Support;

// The configurations the API tests need besides the default app (Retrieval tutor, default limits).
// Each test class gets its own app (IClassFixture), so a limit one class exhausts never leaks into another.

/// <summary>The Synthetic tutor answering slowly: a job stays PROCESSING long enough to be stopped, streamed or resumed.</summary>
public class SlowTutorFixture : AppFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Tutor:Provider", "Synthetic"),
        new("Tutor:Synthetic:DurationMs", "600000"),
        new("Tutor:Synthetic:Deltas", "600"),
        // Slow jobs hold a worker slot each; enough slots that every test's job starts at once.
        new("Worker:Concurrency", "64"),
    ];
}

/// <summary>Every job fails for good at its first attempt.</summary>
public sealed class FailingTutorFixture : AppFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Tutor:Provider", "Synthetic"),
        new("Tutor:Synthetic:FailEvery", "1"),
        new("Tutor:Synthetic:DurationMs", "20"),
        new("Tutor:Synthetic:Deltas", "2"),
        new("Jobs:MaxAttempts", "1"),
    ];
}

/// <summary>At most two open streams per caller; jobs stay open (slow tutor) so streams stay open.</summary>
public sealed class StreamLimitFixture : SlowTutorFixture
{
    public const int MaxOpen = 2;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [.. base.Settings, new("Streams:MaxOpenPerCaller", MaxOpen.ToString())];
}

/// <summary>Low per-caller limits (enqueues per visitor and per learner, delivery reports); the per-IP limit stays out of the way.</summary>
public sealed class CallerRateLimitFixture : AppFixture
{
    public const int PerCaller = 3;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("RateLimits:Landing:PermitsPerMinute", PerCaller.ToString()),
        new("RateLimits:Landing:PerIpPermitsPerMinute", "1000"),
        new("RateLimits:Tutor:PermitsPerMinute", PerCaller.ToString()),
        new("RateLimits:Reports:PermitsPerMinute", PerCaller.ToString()),
    ];
}

/// <summary>A low per-IP limit for the guide, well under the per-visitor one.</summary>
public sealed class IpRateLimitFixture : AppFixture
{
    public const int PerIp = 4;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("RateLimits:Landing:PermitsPerMinute", "100"),
        new("RateLimits:Landing:PerIpPermitsPerMinute", PerIp.ToString()),
    ];
}

/// <summary>Bearer tokens that expire after six seconds.</summary>
public sealed class ShortTokenFixture : AppFixture
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(6);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("Auth:AccessTokenMinutes", TokenLifetime.TotalMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

/// <summary><c>Delivery:DefaultMode=polling</c>: support forcing one mode for everyone.</summary>
public sealed class PollingModeFixture : AppFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Delivery:DefaultMode", "polling")];
}

/// <summary><c>Delivery:KillSwitch=true</c>: the environment stops SSE for everyone.</summary>
public sealed class KillSwitchFixture : AppFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Delivery:KillSwitch", "true")];
}

/// <summary>Jobs that take four seconds, with pauses between their deltas that frequent heartbeats fill, so one stream shows every stream metric.</summary>
public sealed class OperationsFixture : AppFixture
{
    /// <summary>The scrape credential; requests forwarded by the (loopback) proxy come from elsewhere.</summary>
    public const string ScrapeToken = "scrape-token-for-the-tests-0123";

    // The heartbeat and completion-to-terminal metrics exist only once a stream has waited live for its
    // job: long pauses between the deltas keep the job unfinished until the stream is open, even when a
    // busy machine delays the stream request by seconds (a 2 s job could finish first).
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Tutor:Provider", "Synthetic"),
        new("Tutor:Synthetic:DurationMs", "4000"),
        new("Tutor:Synthetic:Deltas", "2"),
        new("Streams:HeartbeatSeconds", "0.1"),
        new("Metrics:ScrapeToken", ScrapeToken),
        new("ForwardedHeaders:KnownProxies:0", "127.0.0.1"),
    ];
}
