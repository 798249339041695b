using System.Collections.Concurrent;
using Npgsql;

namespace BlazorJobs.Server.Delivery;

/// <summary>
/// Records when a finished result first reached its client (terminal event written to a stream, or the
/// finished job served to a poll), for the rollout's latency and failure figures. Writes are batched
/// into one statement a second, so a stream's own cost stays at the two statements it needs to open.
/// Also counts the HTTP requests each delivery mode spends.
/// </summary>
public sealed partial class DeliveryTracker(NpgsqlDataSource dataSource, TimeProvider time, ILogger<DeliveryTracker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _pending = new();
    private readonly ConcurrentDictionary<string, long> _requests = new();

    public void Delivered(Guid jobId) => _pending.TryAdd(jobId, time.GetUtcNow());

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
        if (_pending.IsEmpty)
        {
            return;
        }
        var batch = _pending.ToArray();
        foreach (var (id, _) in batch)
        {
            _pending.TryRemove(id, out _);
        }
        try
        {
            await using var command = dataSource.CreateCommand(
                """
                UPDATE jobs SET delivered_at = d.at
                FROM unnest(@ids, @ats) AS d(id, at)
                WHERE jobs.id = d.id AND jobs.delivered_at IS NULL AND jobs.completed_at IS NOT NULL
                """);
            command.Parameters.AddWithValue("ids", batch.Select(b => b.Key).ToArray());
            command.Parameters.AddWithValue("ats", batch.Select(b => b.Value).ToArray());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // A figure for the admin page is not worth retrying forever; the guard treats it as late.
            LogFlushFailed(ex, batch.Length);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record {Count} delivery time(s)")]
    private partial void LogFlushFailed(Exception ex, int count);
}
