namespace BlazorJobs.Bench.Client;

/// <summary>Opening many idle streams at once, and closing them: what targets 4 and 8 hold while memory is read.</summary>
public static class IdleStreams
{
    /// <summary>One stream per item, at most <paramref name="parallelism"/> being opened at a time.</summary>
    public static async Task<List<IdleStream>> OpenAsync<T>(IEnumerable<T> items, int parallelism, Func<T, CancellationToken, Task<IdleStream>> open)
    {
        var opened = new List<IdleStream>();
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (item, ct) =>
        {
            var stream = await open(item, ct);
            lock (opened)
            {
                opened.Add(stream);
            }
        });
        return opened;
    }

    /// <summary>Closes every stream in the list and empties it.</summary>
    public static async Task CloseAsync(List<IdleStream> streams)
    {
        foreach (var stream in streams)
        {
            await stream.DisposeAsync();
        }
        streams.Clear();
    }
}
