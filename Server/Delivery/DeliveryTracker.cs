using System.Collections.Concurrent;
using BlazorJobs.Server.Jobs;
using Npgsql;

namespace BlazorJobs.Server.Delivery;

/// <summary>
/// Records when a client first came for a job's answer (opened its stream or polled it) and when the
/// finished result first reached it (terminal event written to a stream, or the finished job served to a
/// poll), for the rollout's latency and failure figures: the guard judges only deliveries a client came
/// for. Writes are batched into one round trip a second, so a stream's own cost stays at the two
/// statements it needs to open. Also counts the HTTP requests each delivery mode spends.
/// </summary>
public sealed partial class DeliveryTracker(JobDeliveryTimes deliveryTimes, TimeProvider time, ILogger<DeliveryTracker> logger) : BackgroundService
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
            await deliveryTimes.RecordAsync(cameFor, delivered, cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record {Count} delivery or visit time(s)")]
    private partial void LogFlushFailed(Exception ex, int count);
}
