namespace BlazorJobs.App.Client.Feed;

/// <summary>
/// What the feed shows, kept apart from rendering so it is tested alone. The first page arrives as
/// whole merged lists from the module (batches merged by id, sorted, cut at the cutoff); items that
/// arrive live are held back as "N new" until the reader asks for them, so the page never moves
/// under the reader; older pages are appended below as the reader scrolls.
/// </summary>
public sealed class FeedState
{
    private readonly Dictionary<string, FeedItemView> _shown = [];
    private readonly Dictionary<string, FeedItemView> _pending = [];
    private readonly List<FeedItemView> _older = [];
    private readonly List<FeedItemView> _firstPage = [];

    /// <summary>The first page is whole (every source group answered or failed).</summary>
    public bool FirstPageComplete { get; private set; }

    /// <summary>The cursor of the next (older) page; null when the end is reached.</summary>
    public string? NextCursor { get; private set; }

    public bool LoadingOlder { get; private set; }

    public int PendingCount => _pending.Count;

    public bool HasItems => _firstPage.Count > 0 || _older.Count > 0;

    /// <summary>The items to render, newest first.</summary>
    public IReadOnlyList<FeedItemView> Items => [.. _firstPage, .. _older];

    /// <summary>The module's current first page. Items first seen in a live batch wait behind the "N new" pill.</summary>
    public void ApplyFirstPage(IReadOnlyList<FeedItemView> items, bool live)
    {
        foreach (var item in items)
        {
            if (_shown.ContainsKey(item.Id) || _pending.ContainsKey(item.Id))
            {
                continue;
            }
            if (live && FirstPageComplete)
            {
                _pending[item.Id] = item;
            }
            else
            {
                _shown[item.Id] = item;
            }
        }
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
        foreach (var (id, item) in _pending)
        {
            _shown[id] = item;
        }
        _pending.Clear();
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
        _firstPage.AddRange(_shown.Values.Where(i => !olderIds.Contains(i.Id))
            .OrderByDescending(i => i.SortDate)
            .ThenByDescending(i => i.Id, StringComparer.Ordinal));
    }
}
