namespace BlazorJobs.App.Client.Feed;

/// <summary>
/// Collapses identical repeats ("The tutor answered a question about …" twelve times) into one
/// row. A repeat joins the row of the newest identical item (same type and title) when it is at
/// most <see cref="Window"/> older than it; the row stays where its newest item is, so the order of
/// the feed is unchanged for everything else.
/// </summary>
public static class FeedGrouping
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <param name="items">Newest first, as the feed orders them.</param>
    public static IReadOnlyList<FeedEntry> Group(IReadOnlyList<FeedItemView> items)
    {
        var rows = new List<List<FeedItemView>>();
        var openRows = new Dictionary<(string Type, string Title), List<FeedItemView>>();
        foreach (var item in items)
        {
            var key = (item.Type, item.Title);
            if (openRows.TryGetValue(key, out var row) && row[0].SortDate - item.SortDate <= Window)
            {
                row.Add(item);
                continue;
            }
            row = [item];
            openRows[key] = row;
            rows.Add(row);
        }
        return [.. rows.Select(row => new FeedEntry(row))];
    }
}
