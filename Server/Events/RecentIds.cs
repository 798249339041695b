namespace BlazorJobs.Server.Events;

/// <summary>
/// The ids a stream sent lately, to send none twice. Global job event ids are not strictly in commit order
/// across jobs, so a replay and the live notices can overlap and "greater than" is not enough; a stream that
/// stays open for days must not remember every id, and an overlap only spans the last few.
/// </summary>
internal sealed class RecentIds(int capacity = 256)
{
    private readonly HashSet<long> _ids = [];
    private readonly Queue<long> _order = new();

    /// <returns>False when <paramref name="id"/> was seen lately.</returns>
    public bool Add(long id)
    {
        if (!_ids.Add(id))
        {
            return false;
        }
        _order.Enqueue(id);
        if (_order.Count > capacity)
        {
            _ids.Remove(_order.Dequeue());
        }
        return true;
    }
}
