namespace BlazorJobs.App.Client.Feed;

/// <summary>
/// What the reader is shown of the feed, kept apart from rendering so it is tested alone. The
/// first page's contents and order have one owner, the browser module (<c>openFeed</c>: batches
/// merged by id, sorted as the server orders, cut at <c>feed_complete</c>'s cutoff so it equals the
/// JSON page); this state takes each page it reports as it is and decides only what the reader
/// sees of it: items that arrive live are held back as "N new" until the reader asks for them, so
/// the page never moves under the reader; older pages are appended below as the reader scrolls.
/// </summary>
public sealed class FeedState
{
    private IReadOnlyList<FeedItemView> _page = [];
    private readonly HashSet<string> _seen = [];
    private readonly HashSet<string> _heldBack = [];
    private readonly List<FeedItemView> _older = [];
    private readonly List<FeedItemView> _firstPage = [];

    /// <summary>The first page is whole (every source group answered or failed).</summary>
    public bool FirstPageComplete { get; private set; }

    /// <summary>The cursor of the next (older) page; null when the end is reached.</summary>
    public string? NextCursor { get; private set; }

    public bool LoadingOlder { get; private set; }

    public int PendingCount => _page.Count(i => _heldBack.Contains(i.Id));

    public bool HasItems => _firstPage.Count > 0 || _older.Count > 0;

    /// <summary>The items to render, newest first.</summary>
    public IReadOnlyList<FeedItemView> Items => [.. _firstPage, .. _older];

    /// <summary>The module's current first page, whole. Items first seen in a live batch wait behind the "N new" pill.</summary>
    public void ApplyFirstPage(IReadOnlyList<FeedItemView> items, bool live)
    {
        foreach (var item in items)
        {
            if (_seen.Add(item.Id) && live && FirstPageComplete)
            {
                _heldBack.Add(item.Id);
            }
        }
        _page = items;
        Rebuild();
    }

    public void CompleteFirstPage(string? nextCursor)
    {
        FirstPageComplete = true;
        if (_older.Count == 0)
        {
            NextCursor = nextCursor;
        }
    }

    /// <summary>The reader clicked "N new": the held-back items join the page at the top.</summary>
    public void ShowPending()
    {
        _heldBack.Clear();
        Rebuild();
    }

    public bool StartLoadingOlder()
    {
        if (LoadingOlder || NextCursor is null || !FirstPageComplete)
        {
            return false;
        }
        LoadingOlder = true;
        return true;
    }

    /// <summary>An older page arrived (whole): appended below, without duplicates.</summary>
    public void AppendOlder(IReadOnlyList<FeedItemView> items, string? nextCursor)
    {
        var known = Items.Select(i => i.Id).ToHashSet();
        _older.AddRange(items.Where(i => known.Add(i.Id)));
        NextCursor = nextCursor;
        LoadingOlder = false;
    }

    public void OlderFailed() => LoadingOlder = false;

    private void Rebuild()
    {
        var olderIds = _older.Select(i => i.Id).ToHashSet();
        _firstPage.Clear();
        _firstPage.AddRange(_page.Where(i => !_heldBack.Contains(i.Id) && !olderIds.Contains(i.Id)));
    }
}
