using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Feed;

/// <summary>A group's outcome: its candidates for the page, or why it has none.</summary>
public sealed record FeedGroupResult(string Group, IReadOnlyList<FeedItem> Items, string? Error);

/// <summary>One page being assembled: a task per source group (fastest first) and the whole page.</summary>
public sealed record FeedAssembly(IReadOnlyList<Task<FeedGroupResult>> Groups, Task<FeedPage> Page, bool Complete);

/// <summary>
/// Builds a feed page from every source: all source queries run at once (each on its own pooled
/// connection), each group bounded by a time limit. Concurrent requests for the same page share one
/// assembly, so 200 viewers cost one set of queries, and a complete page goes into the cache.
/// </summary>
/// <remarks>
/// A finished assembly stays shared for as long as its cached page lives: a request that missed the
/// cache an instant before the page was stored would otherwise start a second set of queries (the
/// benchmark's 200 viewers did, now and then).
/// </remarks>
public sealed partial class FeedAssembler(
    IFeedSourceCatalog catalog,
    FeedQueries queries,
    FeedCache cache,
    FeedCursor cursors,
    IOptions<FeedOptions> options,
    TimeProvider time,
    ILogger<FeedAssembler> logger)
{
    private readonly ConcurrentDictionary<(string Key, long Generation), Lazy<FeedAssembly>> _inFlight = new();

    public FeedAssembly Start(FeedPosition? after, int limit)
    {
        var key = FeedCache.Key(after, limit);
        var generation = cache.Generation;
        var lazy = _inFlight.GetOrAdd((key, generation), _ => new Lazy<FeedAssembly>(() => Assemble(after, limit, key, generation)));
        return lazy.Value;
    }

    private FeedAssembly Assemble(FeedPosition? after, int limit, string key, long generation)
    {
        var groups = catalog.Sources
            .GroupBy(s => s.Group)
            .OrderBy(g => GroupOrder(g.Key))
            .Select(g => RunGroupAsync(g.Key, g.ToList(), after, limit))
            .ToList();
        var page = BuildPageAsync(groups, limit, key, generation);
        return new FeedAssembly(groups, page, Complete: false);
    }

    private async Task<FeedGroupResult> RunGroupAsync(string group, List<FeedSource> sources, FeedPosition? after, int limit)
    {
        using var timeout = new CancellationTokenSource(options.Value.GroupTimeoutMs);
        try
        {
            var results = await Task.WhenAll(sources.Select(s => queries.PageAsync(s, after, limit, timeout.Token)));
            var items = results.SelectMany(r => r).Order(FeedOrder.NewestFirst).Take(limit).ToList();
            return new FeedGroupResult(group, items, null);
        }
        catch (Exception ex) when (timeout.IsCancellationRequested)
        {
            LogGroupFailed(ex, group);
            return new FeedGroupResult(group, [], $"The {group} sources did not answer within {options.Value.GroupTimeoutMs} ms.");
        }
        catch (Exception ex)
        {
            LogGroupFailed(ex, group);
            return new FeedGroupResult(group, [], $"The {group} sources could not be read.");
        }
    }

    private async Task<FeedPage> BuildPageAsync(List<Task<FeedGroupResult>> groups, int limit, string key, long generation)
    {
        try
        {
            var results = await Task.WhenAll(groups);
            var candidates = results.SelectMany(r => r.Items).Order(FeedOrder.NewestFirst).ToList();
            var items = candidates.Take(limit).ToList();
            var cutoff = items.Count > 0 ? new FeedPosition(items[^1].SortDate, items[^1].Id) : null;
            var nextCursor = candidates.Count > limit && cutoff is not null ? cursors.Encode(cutoff) : null;
            var page = new FeedPage(items, nextCursor, cutoff, Unreadable: results.All(r => r.Error is not null));
            // A page missing a group is served, but not cached; nor is one assembled before activity dropped the cache.
            if (results.All(r => r.Error is null))
            {
                await cache.StoreAsync(key, generation, page);
                ForgetLater(key, generation);
            }
            else
            {
                _inFlight.TryRemove((key, generation), out _);
            }
            return page;
        }
        catch
        {
            _inFlight.TryRemove((key, generation), out _);
            throw;
        }
    }

    /// <summary>Until the cached copy expires; new activity moves requests to a new generation before then.</summary>
    private void ForgetLater(string key, long generation) =>
        _ = Task.Delay(TimeSpan.FromSeconds(options.Value.CacheSeconds), time)
            .ContinueWith(_ => _inFlight.TryRemove((key, generation), out Lazy<FeedAssembly>? _), TaskScheduler.Default);

    private static int GroupOrder(string group) => group switch
    {
        FeedSourceCatalog.Fast => 0,
        FeedSourceCatalog.Medium => 1,
        _ => 2,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed source group {Group} failed")]
    private partial void LogGroupFailed(Exception ex, string group);
}
