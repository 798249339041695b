using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Feed;

/// <summary>
/// Assembled pages for <c>Feed:CacheSeconds</c> (HybridCache), dropped when new activity lands — at
/// most once per <c>Feed:InvalidateAtMostEverySeconds</c>, so a busy platform rebuilds a page at most
/// once a second however many viewers watch. A generation number keeps a page assembled before a
/// drop from being stored after it.
/// </summary>
public sealed class FeedCache(HybridCache cache, IOptions<FeedOptions> options, FeedMetrics metrics, TimeProvider time) : IDisposable
{
    private const string Tag = "feed";
    private readonly Lock _lock = new();
    private long _generation;
    private DateTimeOffset _lastInvalidation = DateTimeOffset.MinValue;
    private ITimer? _pendingInvalidation;

    public long Generation => Interlocked.Read(ref _generation);

    public static string Key(FeedPosition? after, int limit) =>
        after is null ? $"feed:first:{limit}" : $"feed:{after.SortDate.UtcTicks}:{after.Id}:{limit}";

    /// <summary>The cached page, or null (never runs a query).</summary>
    public async Task<FeedPage?> TryGetAsync(string key, CancellationToken cancellationToken)
    {
        var page = await cache.GetOrCreateAsync<FeedPage?>(key, _ => ValueTask.FromResult<FeedPage?>(null),
            new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableUnderlyingData }, cancellationToken: cancellationToken);
        metrics.CacheLookup(hit: page is not null);
        return page;
    }

    public async Task StoreAsync(string key, long generation, FeedPage page)
    {
        if (generation != Generation)
        {
            return;
        }
        var expiry = TimeSpan.FromSeconds(options.Value.CacheSeconds);
        await cache.SetAsync(key, page, new HybridCacheEntryOptions { Expiration = expiry, LocalCacheExpiration = expiry }, [Tag]);
    }

    /// <summary>New activity: drop the cached pages now, or once the throttle allows.</summary>
    public void ActivityLanded()
    {
        var minimum = TimeSpan.FromSeconds(options.Value.InvalidateAtMostEverySeconds);
        lock (_lock)
        {
            if (_pendingInvalidation is not null)
            {
                return; // a drop is already scheduled
            }
            var wait = _lastInvalidation + minimum - time.GetUtcNow();
            if (wait <= TimeSpan.Zero)
            {
                InvalidateNow();
                return;
            }
            _pendingInvalidation = time.CreateTimer(_ =>
            {
                lock (_lock)
                {
                    _pendingInvalidation?.Dispose();
                    _pendingInvalidation = null;
                    InvalidateNow();
                }
            }, null, wait, Timeout.InfiniteTimeSpan);
        }
    }

    private void InvalidateNow()
    {
        Interlocked.Increment(ref _generation);
        _lastInvalidation = time.GetUtcNow();
        _ = cache.RemoveByTagAsync(Tag).AsTask();
    }

    public void Dispose() => _pendingInvalidation?.Dispose();
}
