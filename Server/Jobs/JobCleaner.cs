using BlazorJobs.Server.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Server.Jobs;

/// <summary>
/// Deletes finished jobs (and, by cascade, their events) after <c>Jobs:RetentionDays</c> and expired
/// idempotency keys — in small batches, so the queue's tables stay small enough that a claim is an
/// index scan and no delete holds locks long. Idle chat sessions are <c>Chat/ChatSessionCleaner</c>'s.
/// </summary>
public sealed partial class JobCleaner(
    NpgsqlDataSource dataSource,
    IOptions<JobOptions> jobOptions,
    TimeProvider time,
    ILogger<JobCleaner> logger) : PeriodicCleanup(time)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(jobOptions.Value.CleanupIntervalSeconds);

    protected override Task RunPassAsync(CancellationToken cancellationToken) => CleanOnceAsync(cancellationToken);

    protected override void OnPassFailed(Exception exception) => LogCleanupFailed(exception);

    /// <summary>One full pass; returns how many jobs and keys were deleted.</summary>
    public async Task<(int Jobs, int Keys)> CleanOnceAsync(CancellationToken cancellationToken)
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
            """, jobOptions.Value.IdempotencyWindow, batch, cancellationToken);
        if (jobs + keys > 0)
        {
            LogCleaned(jobs, keys);
        }
        return (jobs, keys);
    }

    private Task<int> DeleteInBatchesAsync(string sql, TimeSpan age, int batch, CancellationToken cancellationToken) =>
        BatchedDelete.RunAsync(dataSource, sql, age, batch, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention cleanup deleted {Jobs} job(s), {Keys} idempotency key(s)")]
    private partial void LogCleaned(int jobs, int keys);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention cleanup failed; it runs again at the next interval")]
    private partial void LogCleanupFailed(Exception ex);
}
