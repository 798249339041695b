namespace BlazorJobs.App.Client.Feed;

/// <summary>
/// What the reader is shown of the feed, kept apart from rendering so it is tested alone. The
/// first page's contents and order have one owner, the browser module (<c>openFeed</c>: batches
/// merged by id, sorted as the server orders, cut at <c>feed_complete</c>'s cutoff so it equals the
/// JSON page); this state takes each page it reports as it is and decides only what the reader
/// sees of it: items that arrive live while the reader is down the page are held back as "N new"
/// until asked for, so the page never moves under the reader (at the top they simply appear);
/// older pages are appended below as the reader scrolls; identical repeats share one row
/// (<see cref="FeedGrouping"/>); and which one <see cref="FeedStatus"/> the feed is in.
/// </summary>
public sealed class FeedState
{
    private IReadOnlyList<FeedItemView> _page = [];
    private readonly HashSet<string> _seen = [];
    private readonly HashSet<string> _heldBack = [];
    private readonly List<FeedItemView> _older = [];
    private readonly List<FeedItemView> _firstPage = [];
    private int _sourceFailuresThisPage;

    /// <summary>The first page is whole (every source group answered or failed).</summary>
    public bool FirstPageComplete { get; private set; }

    /// <summary>The cursor of the next (older) page; null when the end is reached.</summary>
    public string? NextCursor { get; private set; }

    public bool LoadingOlder { get; private set; }

    /// <summary>The top of the feed is in view: live items join the list at once instead of waiting behind "N new".</summary>
    public bool ReaderAtTop { get; set; }

    /// <summary>Some source group failed in the page being shown (or being loaded).</summary>
    public bool SourcesFailed { get; private set; }

    /// <summary>The connection failed and nothing has been delivered since (the module may be retrying).</summary>
    public bool ConnectionLost { get; private set; }

    public int PendingCount => _page.Count(i => _heldBack.Contains(i.Id));

    public bool HasItems => _firstPage.Count > 0 || _older.Count > 0;

    /// <summary>Every older page has been loaded: the feed's end is shown.</summary>
    public bool ReachedEnd => FirstPageComplete && NextCursor is null && HasItems;

    /// <summary>The items to render, newest first.</summary>
    public IReadOnlyList<FeedItemView> Items => [.. _firstPage, .. _older];

    /// <summary>The rows to render, newest first: <see cref="Items"/> with identical repeats grouped.</summary>
    public IReadOnlyList<FeedEntry> Entries { get; private set; } = [];

    public FeedStatus Status =>
        ConnectionLost ? (HasItems ? FeedStatus.Offline : FeedStatus.Failed)
        : !HasItems ? (!FirstPageComplete ? FeedStatus.Loading : SourcesFailed ? FeedStatus.Failed : FeedStatus.Empty)
        : SourcesFailed ? FeedStatus.Partial : FeedStatus.Ready;

    /// <summary>The module's current first page, whole. Items first seen in a live batch wait behind the "N new" pill unless the reader is at the top.</summary>
    public void ApplyFirstPage(IReadOnlyList<FeedItemView> items, bool live)
    {
        foreach (var item in items)
        {
            if (_seen.Add(item.Id) && live && FirstPageComplete && !ReaderAtTop)
            {
                _heldBack.Add(item.Id);
            }
        }
        _page = items;
        ConnectionLost = false;
        Rebuild();
    }

    public void CompleteFirstPage(string? nextCursor)
    {
        FirstPageComplete = true;
        ConnectionLost = false;
        // A reconnect delivers the page again: its failures replace the previous delivery's.
        SourcesFailed = _sourceFailuresThisPage > 0;
        _sourceFailuresThisPage = 0;
        if (_older.Count == 0)
        {
            NextCursor = nextCursor;
        }
    }

    public void SourceFailed()
    {
        _sourceFailuresThisPage++;
        SourcesFailed = true;
    }

    public void LoseConnection() => ConnectionLost = true;

    /// <summary>The reader clicked "N new": the held-back items join the page. Returns the key of the first row they are in, to take the reader there.</summary>
    public string? ShowPending()
    {
        var revealed = _heldBack.ToHashSet();
        _heldBack.Clear();
        Rebuild();
        return Entries.FirstOrDefault(e => e.Items.Any(i => revealed.Contains(i.Id)))?.Key;
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
        Entries = FeedGrouping.Group(Items);
    }

    public void OlderFailed() => LoadingOlder = false;

    private void Rebuild()
    {
        var olderIds = _older.Select(i => i.Id).ToHashSet();
        _firstPage.Clear();
        _firstPage.AddRange(_page.Where(i => !_heldBack.Contains(i.Id) && !olderIds.Contains(i.Id)));
        Entries = FeedGrouping.Group(Items);
    }
}
