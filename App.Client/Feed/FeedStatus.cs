namespace BlazorJobs.App.Client.Feed;

/// <summary>What the feed is showing, as one state (FeedView renders exactly one of them).</summary>
public enum FeedStatus
{
    /// <summary>Nothing yet and nothing wrong yet: the skeleton.</summary>
    Loading,

    /// <summary>The page is whole, every source answered, and there is no activity.</summary>
    Empty,

    /// <summary>Items are shown and everything answered.</summary>
    Ready,

    /// <summary>Items are shown, but some source groups failed: a note above them.</summary>
    Partial,

    /// <summary>Nothing could be loaded (the API unreachable, or every source failed): an error and Retry.</summary>
    Failed,

    /// <summary>Items were loaded, then the connection was lost: they stay, with a note, while it reconnects.</summary>
    Offline,
}
