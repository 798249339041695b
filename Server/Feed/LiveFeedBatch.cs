using System.Text.Json;
using BlazorJobs.Server.Hosting;

namespace BlazorJobs.Server.Feed;

/// <summary>
/// New activity as one live <c>feed_items</c> event, serialised once when it lands: every open feed stream and
/// events stream writes the same string, so a thousand streams cost one serialisation, not a thousand
/// (performance.md, target 5a).
/// </summary>
/// <param name="Json">The event's data: <c>{"items":[…],"live":true}</c> (api.md, the live feed).</param>
public sealed record LiveFeedBatch(string Json)
{
    public static LiveFeedBatch Of(IReadOnlyList<FeedItem> items) =>
        new(JsonSerializer.Serialize(new { items, live = true }, JsonDefaults.Options));
}
