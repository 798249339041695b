using System.ComponentModel;
using System.Text;
using System.Text.Json;

namespace BlazorJobs.Server.Feed;

/// <summary>One item of the feed. <see cref="Id"/> is <c>type:key</c>, stable and unique across sources.</summary>
[ImmutableObject(true)]
public sealed record FeedItem(string Id, string Type, string Title, string Summary, string? Url, DateTimeOffset SortDate);

/// <summary>A position in the feed: items strictly after (older than) this (sortDate, id) pair.</summary>
public sealed record FeedPosition(DateTimeOffset SortDate, string Id);

/// <summary>A whole page, as the JSON endpoint returns it and the cache keeps it.</summary>
[ImmutableObject(true)]
public sealed record FeedPage(IReadOnlyList<FeedItem> Items, string? NextCursor, FeedPosition? Cutoff);

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

/// <summary>The opaque cursor: base64url of the last item's position (microsecond date and id).</summary>
public static class FeedCursor
{
    public static string Encode(FeedPosition position)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new CursorBody(position.SortDate.UtcTicks, position.Id));
        return Convert.ToBase64String(json).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool TryDecode(string? cursor, out FeedPosition? position)
    {
        position = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            var body = JsonSerializer.Deserialize<CursorBody>(Encoding.UTF8.GetString(Convert.FromBase64String(base64)));
            if (body is null || string.IsNullOrEmpty(body.I) || !body.I.Contains(':'))
            {
                return false;
            }
            position = new FeedPosition(new DateTimeOffset(body.T, TimeSpan.Zero), body.I);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            return false;
        }
    }

    private sealed record CursorBody(long T, string I);
}
