namespace BlazorJobs.App.Client.Feed;

/// <summary>A feed item as the browser receives it (api.md, "Live feed").</summary>
public sealed record FeedItemView(string Id, string Type, string Title, string Summary, string? Url, DateTimeOffset SortDate);
