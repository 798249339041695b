using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>An app configured for one group of stream tests (each test class gets its own app and database).</summary>
public abstract class ConfiguredAppFixture(params (string Key, string Value)[] settings) : AppFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value));

    /// <summary>The Synthetic tutor answers in <paramref name="durationMs"/> with <paramref name="deltas"/> deltas, so a test controls timing.</summary>
    protected static (string, string)[] Synthetic(int durationMs, int deltas) =>
    [
        ("Tutor:Provider", "Synthetic"),
        ("Tutor:Synthetic:DurationMs", durationMs.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Tutor:Synthetic:Deltas", deltas.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}

/// <summary>No worker: a job stays PENDING forever, so a stream has nothing to say after event 1.</summary>
public sealed class PausedWorkerFixture() : ConfiguredAppFixture(("Worker:Enabled", "false"));

/// <summary>Jobs stream for 1.5 s in 10 deltas (one every ~150 ms): long enough to join, leave and come back mid-job.</summary>
public sealed class StreamingJobsFixture() : ConfiguredAppFixture(Synthetic(1500, 10));

/// <summary>One open stream per caller, so a slot that is not freed shows up as a 429.</summary>
public sealed class OneStreamPerCallerFixture() : ConfiguredAppFixture([.. Synthetic(3000, 10), ("Streams:MaxOpenPerCaller", "1")]);

/// <summary>
/// Heartbeats every 0.3 s and a 1.5 s stream timeout, with jobs that are silent for 1 s between
/// deltas: a stream both heartbeats and times out long before its job ends.
/// </summary>
public sealed class ShortHeartbeatAndTimeoutFixture() : ConfiguredAppFixture(
[
    .. Synthetic(3000, 3),
    ("Streams:HeartbeatSeconds", "0.3"),
    ("Streams:TimeoutSeconds", "1.5"),
]);

/// <summary>Bearer tokens live 3 s (the minimum) and a job 3 s after its claim, so the token always expires first.</summary>
public sealed class ShortTokenFixture() : ConfiguredAppFixture([.. Synthetic(3000, 10), ("Auth:AccessTokenMinutes", "0.05")]);

/// <summary>
/// Jobs never progress and heartbeats come every 0.2 s, so many streams sit waiting and prove they
/// are alive; limits are raised so one visitor can hold them all.
/// </summary>
public sealed class ManyWaitingStreamsFixture() : ConfiguredAppFixture(
    ("Worker:Enabled", "false"),
    ("Streams:HeartbeatSeconds", "0.2"),
    ("Streams:MaxOpenPerCaller", "100"),
    ("RateLimits:Landing:PermitsPerMinute", "1000"),
    ("RateLimits:Landing:PerIpPermitsPerMinute", "1000"));

/// <summary>
/// For the session stream: jobs of 1.5 s that stream a delta every ~100 ms (which a session stream does
/// not forward), and heartbeats every 0.3 s.
/// </summary>
public sealed class SessionStreamFixture() : ConfiguredAppFixture([.. Synthetic(1500, 15), ("Streams:HeartbeatSeconds", "0.3")]);
