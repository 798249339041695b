using System.ComponentModel.DataAnnotations;

namespace BlazorJobs.Server.Feed;

/// <summary><c>Feed:*</c>.</summary>
public sealed class FeedOptions
{
    public const string Section = "Feed";

    /// <summary>How long an assembled page is served from the cache when no activity lands.</summary>
    [Range(0.1, 3600)] public double CacheSeconds { get; set; } = 30;

    /// <summary>New activity drops the cache at most this often.</summary>
    [Range(0.05, 3600)] public double InvalidateAtMostEverySeconds { get; set; } = 1;

    /// <summary>A source group that takes longer is reported with <c>feed_error</c>; the others are still delivered.</summary>
    [Range(10, 60_000)] public int GroupTimeoutMs { get; set; } = 3000;

    /// <summary>Activity rows generated at first start (embedded database / empty tables), so the feed has something to show.</summary>
    [Range(0, 1_000_000)] public int SeedActivityRows { get; set; } = 600;
}
