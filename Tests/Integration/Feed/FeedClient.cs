using System.Net.Http.Json;
using System.Text.Json;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Feed;

public sealed record FeedItemBody(string Id, string Type, string Title, string Summary, string? Url, DateTimeOffset SortDate);

public sealed record FeedPageBody(List<FeedItemBody> Items, string? NextCursor);

public sealed record CutoffBody(DateTimeOffset SortDate, string Id);

public sealed record CompleteBody(string? NextCursor, int TotalItems, CutoffBody? Cutoff);

/// <summary>Reads the feed as a client of the contract would: JSON pages, or a stream merged by id and cut at the cutoff.</summary>
public static class FeedClient
{
    public static async Task<FeedPageBody> PageAsync(HttpClient client, string? cursor = null, int limit = 20) =>
        (await client.GetFromJsonAsync<FeedPageBody>($"/api/feed?limit={limit}{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}", Json.Options))!;

    /// <summary>The page a stream shows once complete: batches merged by id, sorted, and trimmed after the cutoff.</summary>
    public static List<FeedItemBody> Assemble(IEnumerable<ReceivedEvent> events)
    {
        var merged = new Dictionary<string, FeedItemBody>();
        CompleteBody? complete = null;
        foreach (var e in events)
        {
            if (e.Type == "feed_items")
            {
                foreach (var item in JsonDocument.Parse(e.Data).RootElement.GetProperty("items").Deserialize<List<FeedItemBody>>(Json.Options)!)
                {
                    merged[item.Id] = item;
                }
            }
            else if (e.Type == "feed_complete")
            {
                complete = Json.Parse<CompleteBody>(e.Data);
            }
        }
        var ordered = merged.Values.OrderByDescending(i => i.SortDate).ThenByDescending(i => i.Id, StringComparer.Ordinal).ToList();
        return complete?.Cutoff is { } cutoff
            ? ordered.Where(i => i.SortDate > cutoff.SortDate || (i.SortDate == cutoff.SortDate && string.CompareOrdinal(i.Id, cutoff.Id) >= 0)).ToList()
            : ordered;
    }
}
