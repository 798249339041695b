using System.Collections.Concurrent;
using Npgsql;

namespace BlazorJobs.Server.Delivery;

/// <summary>
/// Records when a client first came for a job's answer (opened its stream or polled it) and when the
/// finished result first reached it (terminal event written to a stream, or the finished job served to a
/// poll), for the rollout's latency and failure figures: the guard judges only deliveries a client came
/// for. Writes are batched into one round trip a second, so a stream's own cost stays at the two
/// statements it needs to open. Also counts the HTTP requests each delivery mode spends.
/// </summary>
public sealed partial class DeliveryTracker(NpgsqlDataSource dataSource, TimeProvider time, ILogger<DeliveryTracker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _pending = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _cameFor = new();
    private readonly ConcurrentDictionary<string, long> _requests = new();

    public void Delivered(Guid jobId) => _pending.TryAdd(jobId, time.GetUtcNow());

    /// <summary>A client opened the job's stream or polled it (one HTTP request in <paramref name="mode"/>): its delivery is judged.</summary>
    public void CameFor(Guid jobId, string mode)
    {
        _cameFor.TryAdd(jobId, time.GetUtcNow());
        CountRequest(mode);
    }

    /// <summary>One HTTP request (enqueue, stream open, poll) made by a client in <paramref name="mode"/>.</summary>
    public void CountRequest(string mode) => _requests.AddOrUpdate(mode, 1, (_, n) => n + 1);

    /// <summary>Requests per mode since this process started.</summary>
    public IReadOnlyDictionary<string, long> RequestCounts => _requests;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await FlushAsync(CancellationToken.None);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.IsEmpty && _cameFor.IsEmpty)
        {
            return;
        }
        var delivered = Drain(_pending);
        var cameFor = Drain(_cameFor);
        try
        {
            // Only the first visit and the first delivery are kept: later polls of the same job change nothing.
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(Update(
                """
                UPDATE jobs SET requested_at = d.at
                FROM unnest($1, $2) AS d(id, at)
                WHERE jobs.id = d.id AND jobs.requested_at IS NULL
                """, cameFor));
            batch.BatchCommands.Add(Update(
                """
                UPDATE jobs SET delivered_at = d.at
                FROM unnest($1, $2) AS d(id, at)
                WHERE jobs.id = d.id AND jobs.delivered_at IS NULL AND jobs.completed_at IS NOT NULL
                """, delivered));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // A figure for the admin page is not worth retrying forever; the guard treats a lost delivery time
            // as late, and a lost visit as a question nobody came for (not judged).
            LogFlushFailed(ex, delivered.Length + cameFor.Length);
        }
    }

    private static KeyValuePair<Guid, DateTimeOffset>[] Drain(ConcurrentDictionary<Guid, DateTimeOffset> pending)
    {
        var drained = pending.ToArray();
        foreach (var (id, _) in drained)
        {
            pending.TryRemove(id, out _);
        }
        return drained;
    }

    private static NpgsqlBatchCommand Update(string sql, KeyValuePair<Guid, DateTimeOffset>[] rows) => new(sql)
    {
        Parameters =
        {
            new NpgsqlParameter<Guid[]> { TypedValue = rows.Select(r => r.Key).ToArray() },
            new NpgsqlParameter<DateTimeOffset[]> { TypedValue = rows.Select(r => r.Value).ToArray() },
        },
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record {Count} delivery or visit time(s)")]
    private partial void LogFlushFailed(Exception ex, int count);
}
