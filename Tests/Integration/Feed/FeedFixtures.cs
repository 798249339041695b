using BlazorJobs.Server.Feed;
using BlazorJobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorJobs.Tests.Integration.Feed;

/// <summary>An app whose feed holds only what a test generates (plus the seeded catalogue and milestones).</summary>
public class FeedFixture : AppFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Feed:SeedActivityRows", "0"),
        new("Feed:InvalidateAtMostEverySeconds", "0.2"),
        new("Streams:HeartbeatSeconds", "1"),
    ];

    public Task GenerateAsync(int rows, double days = 30) => Service<FeedActivityGenerator>().GenerateAsync(rows, days, CancellationToken.None);
}

/// <summary>A feed with a thousand rows of activity, generated once for the test class.</summary>
public sealed class FeedWithThousandRows : FeedFixture, IAsyncLifetime
{
    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        await GenerateAsync(1000);
    }
}

/// <summary>A feed with a few hundred rows of activity, generated once for the test class.</summary>
public sealed class FeedWithSomeRows : FeedFixture, IAsyncLifetime
{
    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        await GenerateAsync(300);
    }
}

/// <summary>The feed with one more source whose query fails, in the medium group.</summary>
public sealed class BrokenSourceFixture : FeedFixture
{
    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IFeedSourceCatalog>(new WithBrokenSource());

    private sealed class WithBrokenSource : IFeedSourceCatalog
    {
        public IReadOnlyList<FeedSource> Sources { get; } =
        [
            .. new FeedSourceCatalog().Sources,
            new FeedSource("broken", FeedSourceCatalog.Medium, "FROM no_such_table b WHERE true", "b.created_at", "b.id", false, "b.title", "b.title", "NULL"),
        ];
    }
}

/// <summary>The feed with every source failing (each group's query reads a table that does not exist).</summary>
public sealed class AllSourcesBrokenFixture : FeedFixture
{
    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IFeedSourceCatalog>(new AllBroken());

    private sealed class AllBroken : IFeedSourceCatalog
    {
        public IReadOnlyList<FeedSource> Sources { get; } =
            new FeedSourceCatalog().Sources.Select(s => s.Group).Distinct()
                .Select(group => new FeedSource($"broken-{group}", group, "FROM no_such_table b WHERE true", "b.created_at", "b.id", false, "b.title", "b.title", "NULL"))
                .ToList();
    }
}

public static class FeedCacheControl
{
    /// <summary>Waits until activity notifications have stopped dropping the cache (no drop for half a second).</summary>
    public static async Task WaitForQuietAsync(FeedCache cache)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var generation = cache.Generation;
        var stableSince = DateTime.UtcNow;
        while (DateTime.UtcNow - stableSince < TimeSpan.FromMilliseconds(500) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            if (cache.Generation != generation)
            {
                generation = cache.Generation;
                stableSince = DateTime.UtcNow;
            }
        }
    }

    /// <summary>Drops the cached pages, waiting out the invalidation throttle if it holds the drop back.</summary>
    public static async Task DropAsync(FeedCache cache)
    {
        var before = cache.Generation;
        cache.ActivityLanded();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (cache.Generation == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
