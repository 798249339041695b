using System.ComponentModel;

namespace BlazorJobs.Server.Feed;

/// <summary>One item of the feed. <see cref="Id"/> is <c>type:key</c>, stable and unique across sources.</summary>
[ImmutableObject(true)]
public sealed record FeedItem(string Id, string Type, string Title, string Summary, string? Url, DateTimeOffset SortDate);

/// <summary>A position in the feed: items strictly after (older than) this (sortDate, id) pair.</summary>
public sealed record FeedPosition(DateTimeOffset SortDate, string Id);

/// <summary>A whole page, as the JSON endpoint returns it and the cache keeps it.</summary>
[ImmutableObject(true)]
/// <param name="Unreadable">Every source group failed: the page is empty because nothing could be read, not because nothing happened.</param>
public sealed record FeedPage(IReadOnlyList<FeedItem> Items, string? NextCursor, FeedPosition? Cutoff, bool Unreadable = false);

/// <summary>The feed's one order: newest first, then by id (ordinal) descending — the same in SQL (COLLATE "C") and here.</summary>
public static class FeedOrder
{
    public static readonly IComparer<FeedItem> NewestFirst = Comparer<FeedItem>.Create((a, b) =>
    {
        var byDate = b.SortDate.CompareTo(a.SortDate);
        return byDate != 0 ? byDate : string.CompareOrdinal(b.Id, a.Id);
    });

    /// <summary>True when <paramref name="item"/> comes after (is older than) <paramref name="position"/>.</summary>
    public static bool IsAfter(FeedItem item, FeedPosition position) =>
        item.SortDate < position.SortDate || (item.SortDate == position.SortDate && string.CompareOrdinal(item.Id, position.Id) < 0);
}
