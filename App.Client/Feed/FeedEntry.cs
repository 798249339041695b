namespace BlazorJobs.App.Client.Feed;

/// <summary>
/// One row of the feed as the reader sees it: a single item, or identical repeats of it (same kind
/// and title, within <see cref="FeedGrouping.Window"/> of the newest) shown once with their count.
/// </summary>
/// <param name="Items">Newest first; the first is the row's position, key and link.</param>
public sealed record FeedEntry(IReadOnlyList<FeedItemView> Items)
{
    public FeedItemView Newest => Items[0];

    public FeedItemView Oldest => Items[^1];

    public int Count => Items.Count;

    public bool IsGroup => Items.Count > 1;

    /// <summary>Stable across renders while the newest member stays: what the row is keyed by.</summary>
    public string Key => Newest.Id;
}
