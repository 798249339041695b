using System.Diagnostics.Metrics;
using BlazorJobs.Server.Jobs;

namespace BlazorJobs.Server.Feed;

/// <summary>The feed's instruments (exported on <c>/metrics</c>).</summary>
public sealed class FeedMetrics
{
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Histogram<double> _firstBatch;

    public FeedMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(JobMetrics.MeterName);
        _cacheHits = meter.CreateCounter<long>("blazorjobs.feed.cache_hits", description: "Feed pages served from the cache");
        _cacheMisses = meter.CreateCounter<long>("blazorjobs.feed.cache_misses", description: "Feed pages that had to be assembled");
        _firstBatch = meter.CreateHistogram<double>("blazorjobs.feed.time_to_first_batch", unit: "ms", description: "Time from a feed stream's request to its first items");
    }

    public void CacheLookup(bool hit) => (hit ? _cacheHits : _cacheMisses).Add(1);

    public void FirstBatch(TimeSpan elapsed) => _firstBatch.Record(elapsed.TotalMilliseconds);
}
