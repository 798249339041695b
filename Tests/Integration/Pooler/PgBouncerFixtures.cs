using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Pooler;

/// <summary>
/// The app behind a real PgBouncer in transaction mode, configured as the README says: every query
/// through the pooler (<c>ConnectionStrings:Default</c>), the one LISTEN connection and the migrations
/// straight to PostgreSQL (<c>ConnectionStrings:Listen</c>), <c>Database:Pooler=PgBouncer</c>.
/// <see cref="AppFixture.ConnectionString"/> stays the direct one, for the tests' own look at the database.
/// </summary>
public abstract class PgBouncerAppFixture(params (string Key, string Value)[] settings) : AppFixture
{
    public PgBouncer Pooler { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("ConnectionStrings:Default", Pooler.ConnectionString),
        new("ConnectionStrings:Listen", ConnectionString),
        new("Database:Pooler", "PgBouncer"),
        .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)),
    ];

    protected override async Task BeforeAppStartsAsync() => Pooler = await PgBouncer.StartAsync(ConnectionString);

    protected override async Task AfterAppStopsAsync()
    {
        if (Pooler is not null)
        {
            await Pooler.DisposeAsync();
        }
    }
}

/// <summary>Behind the pooler, answers take 1.5 s in 5 deltas: a stream opened at once hears them live, by NOTIFY.</summary>
public sealed class BehindPgBouncerFixture() : PgBouncerAppFixture(
    ("Tutor:Provider", "Synthetic"),
    ("Tutor:Synthetic:DurationMs", "1500"),
    ("Tutor:Synthetic:Deltas", "5"));

/// <summary>Behind the pooler, jobs never progress and heartbeats come every 0.2 s, so many streams sit waiting.</summary>
public sealed class WaitingStreamsBehindPgBouncerFixture() : PgBouncerAppFixture(
    ("Worker:Enabled", "false"),
    ("Streams:HeartbeatSeconds", "0.2"),
    ("Streams:MaxOpenPerCaller", "100"),
    ("RateLimits:Landing:PermitsPerMinute", "1000"),
    ("RateLimits:Landing:PerIpPermitsPerMinute", "1000"));

/// <summary>Behind a pooler that one test stops: an app of its own, so the other classes keep theirs.</summary>
public sealed class PoolerOutageFixture() : PgBouncerAppFixture;

/// <summary>
/// The PgBouncer classes run one at a time, after the parallel ones: they start and stop apps of their
/// own, which empties the operations tests' scrape when run beside them (see <see cref="Api.MetricsCollection"/>).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PgBouncerCollection
{
    public const string Name = "Behind PgBouncer";
}
