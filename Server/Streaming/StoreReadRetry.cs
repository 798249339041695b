using Npgsql;

namespace BlazorJobs.Server.Streaming;

/// <summary>
/// Runs a stream's database read (a replay, a re-sync) again, with back-off, while PostgreSQL cannot
/// answer: restarting, failing over, or reached through pooled connections that died with the old
/// server. A stream that has already sent its headers cannot answer <c>503</c>, and ending it would cut
/// the client off mid-job; so it waits, writing heartbeats, until the read succeeds, its own deadline
/// passes, the server stops, or the client leaves.
/// </summary>
public sealed partial class StoreReadRetry(NpgsqlDataSource dataSource, TimeProvider time, ILogger<StoreReadRetry> logger)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(2);

    /// <param name="giveUpAt">The stream's own deadline (null: none); past it, <see cref="StreamInterruptedException"/>.</param>
    /// <param name="stopping">The server is stopping: <see cref="StreamInterruptedException"/> too.</param>
    /// <param name="heartbeat">How often the client must hear something while the read waits.</param>
    public async Task<T> ReadAsync<T>(
        Func<CancellationToken, Task<T>> read,
        SseResponseWriter writer,
        DateTimeOffset? giveUpAt,
        TimeSpan heartbeat,
        CancellationToken stopping,
        CancellationToken requestAborted)
    {
        var delay = FirstDelay;
        var lastHeard = time.GetUtcNow();
        for (var failures = 1; ; failures++)
        {
            try
            {
                return await read(requestAborted);
            }
            catch (Exception ex) when (IsTransient(ex) && !requestAborted.IsCancellationRequested)
            {
                if (failures == 1)
                {
                    // Idle connections in the pool may all be dead (the server restarted under them):
                    // drop them, so the next try opens a fresh one instead of failing on each in turn.
                    dataSource.Clear();
                }
                LogReadFailed(ex, failures, delay.TotalMilliseconds);
            }

            var now = time.GetUtcNow();
            if (stopping.IsCancellationRequested || giveUpAt <= now)
            {
                throw new StreamInterruptedException();
            }
            if (lastHeard + heartbeat <= now)
            {
                await writer.WriteHeartbeatAsync(requestAborted);
                lastHeard = now;
            }
            var wait = giveUpAt is { } deadline && deadline - now < delay ? deadline - now : delay;
            using var waitOrStop = CancellationTokenSource.CreateLinkedTokenSource(stopping, requestAborted);
            try
            {
                await Task.Delay(wait, time, waitOrStop.Token);
            }
            catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
            {
                throw new StreamInterruptedException();
            }
            delay = TimeSpan.FromTicks(Math.Min(LongestDelay.Ticks, delay.Ticks * 2));
        }
    }

    /// <summary>What a wait can cure: the connection or the server, not the query.</summary>
    private static bool IsTransient(Exception ex) => ex switch
    {
        NpgsqlException { IsTransient: true } => true,
        // A pooled connection whose socket died reports itself broken rather than transient.
        NpgsqlException { InnerException: IOException or System.Net.Sockets.SocketException } => true,
        InvalidOperationException when ex.Message.Contains("broken", StringComparison.OrdinalIgnoreCase) => true,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "A stream could not read from PostgreSQL (failure {Failures}); trying again in {DelayMs} ms")]
    private partial void LogReadFailed(Exception ex, int failures, double delayMs);
}

/// <summary>A stream's read could not be made before its deadline or before the server stopped: the stream ends with a signal its client resumes from.</summary>
public sealed class StreamInterruptedException() : Exception("The stream's read could not be made before its deadline or the server's shutdown; the client resumes from Last-Event-ID.");
