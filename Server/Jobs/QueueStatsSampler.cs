using Npgsql;

namespace BlazorJobs.Server.Jobs;

/// <summary>
/// Jobs by status for <c>/metrics</c> (queue depth = PENDING). Read lazily: a scrape serves the last
/// counts and starts a refresh when they are older than <see cref="MaxAge"/>, so the metric costs one
/// query per scrape interval at most, and nothing when nobody scrapes.
/// </summary>
public sealed class QueueStatsSampler(NpgsqlDataSource dataSource, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);
    private static readonly string[] Statuses = [JobStatus.Pending, JobStatus.Processing, JobStatus.Completed, JobStatus.Failed, JobStatus.Cancelled];

    private volatile IReadOnlyDictionary<string, long> _counts = Statuses.ToDictionary(s => s, _ => 0L);
    private DateTimeOffset _sampledAt = DateTimeOffset.MinValue;
    private int _refreshing;

    /// <summary>The latest counts per status; triggers a background refresh when stale.</summary>
    public IReadOnlyDictionary<string, long> Counts
    {
        get
        {
            if (time.GetUtcNow() - _sampledAt > MaxAge && Interlocked.Exchange(ref _refreshing, 1) == 0)
            {
                _ = RefreshAsync();
            }
            return _counts;
        }
    }

    public async Task RefreshAsync()
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT status, count(*) FROM jobs GROUP BY status");
            var counts = Statuses.ToDictionary(s => s, _ => 0L);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }
            _counts = counts;
            _sampledAt = time.GetUtcNow();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // The gauge keeps its last value; /health reports the database.
        }
        finally
        {
            Interlocked.Exchange(ref _refreshing, 0);
        }
    }
}
