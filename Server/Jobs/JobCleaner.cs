using BlazorJobs.Server.Chat;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Server.Jobs;

/// <summary>
/// Deletes finished jobs (and, by cascade, their events) after <c>Jobs:RetentionDays</c>, expired
/// idempotency keys, and chat sessions idle for <c>Chat:RetentionDays</c> — in small batches, so
/// the queue's tables stay small enough that a claim is an index scan and no delete holds locks long.
/// </summary>
public sealed partial class JobCleaner(
    NpgsqlDataSource dataSource,
    IOptions<JobOptions> jobOptions,
    IOptions<ChatOptions> chatOptions,
    TimeProvider time,
    ILogger<JobCleaner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(jobOptions.Value.CleanupIntervalSeconds), time);
        do
        {
            try
            {
                await CleanOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCleanupFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One full pass; returns how many jobs, keys and sessions were deleted.</summary>
    public async Task<(int Jobs, int Keys, int Sessions)> CleanOnceAsync(CancellationToken cancellationToken)
    {
        var batch = jobOptions.Value.CleanupBatchSize;
        var jobs = await DeleteInBatchesAsync(
            """
            DELETE FROM jobs WHERE id IN (
                SELECT id FROM jobs WHERE completed_at < now() - @age ORDER BY completed_at LIMIT @batch)
            """, TimeSpan.FromDays(jobOptions.Value.RetentionDays), batch, cancellationToken);
        var keys = await DeleteInBatchesAsync(
            """
            DELETE FROM idempotency_keys WHERE (owner_key, key) IN (
                SELECT owner_key, key FROM idempotency_keys WHERE created_at < now() - @age LIMIT @batch)
            """, TimeSpan.FromHours(24), batch, cancellationToken);
        // A session's unfinished jobs are left alone: their answer must still reach whoever waits for it.
        var sessions = await DeleteInBatchesAsync(
            """
            WITH old AS (
                SELECT id FROM chat_sessions s WHERE updated_at < now() - @age
                  AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.session_id = s.id AND j.status IN ('PENDING', 'PROCESSING'))
                LIMIT @batch),
            gone_jobs AS (DELETE FROM jobs WHERE session_id IN (SELECT id FROM old))
            DELETE FROM chat_sessions WHERE id IN (SELECT id FROM old)
            """, TimeSpan.FromDays(chatOptions.Value.RetentionDays), batch, cancellationToken);
        if (jobs + keys + sessions > 0)
        {
            LogCleaned(jobs, keys, sessions);
        }
        return (jobs, keys, sessions);
    }

    private async Task<int> DeleteInBatchesAsync(string sql, TimeSpan age, int batch, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.AddWithValue("age", age);
            command.Parameters.AddWithValue("batch", batch);
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < batch)
            {
                return total;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention cleanup deleted {Jobs} job(s), {Keys} idempotency key(s), {Sessions} chat session(s)")]
    private partial void LogCleaned(int jobs, int keys, int sessions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention cleanup failed; it runs again at the next interval")]
    private partial void LogCleanupFailed(Exception ex);
}
