using BlazorJobs.Server.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Server.Rollout;

/// <summary>
/// Deletes client delivery reports older than <c>Rollout:Reports:RetentionDays</c>, in small batches (as
/// the job cleaner does), so the table the guard reads every few seconds stays bounded. Reports outlive
/// their job by design: a report has no foreign key, so it is never lost with a retried or deleted job
/// before the guard's window has passed.
/// </summary>
public sealed partial class DeliveryReportCleaner(
    NpgsqlDataSource dataSource,
    IOptions<RolloutOptions> options,
    TimeProvider time,
    ILogger<DeliveryReportCleaner> logger) : PeriodicCleanup(time)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.Reports.CleanupIntervalSeconds);

    protected override Task RunPassAsync(CancellationToken cancellationToken) => CleanOnceAsync(cancellationToken);

    protected override void OnPassFailed(Exception exception) => LogCleanupFailed(exception);

    /// <summary>One full pass; returns how many reports were deleted.</summary>
    public async Task<int> CleanOnceAsync(CancellationToken cancellationToken)
    {
        var reports = options.Value.Reports;
        var total = 0;
        while (true)
        {
            // Oldest first through the created_at index, a batch at a time.
            await using var command = dataSource.CreateCommand(
                """
                DELETE FROM delivery_reports WHERE id IN (
                    SELECT id FROM delivery_reports WHERE created_at < now() - @age ORDER BY created_at LIMIT @batch)
                """);
            command.Parameters.AddWithValue("age", TimeSpan.FromDays(reports.RetentionDays));
            command.Parameters.AddWithValue("batch", reports.CleanupBatchSize);
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < reports.CleanupBatchSize)
            {
                break;
            }
        }
        if (total > 0)
        {
            LogCleaned(total);
        }
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention cleanup deleted {Reports} delivery report(s)")]
    private partial void LogCleaned(int reports);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery report cleanup failed; it runs again at the next interval")]
    private partial void LogCleanupFailed(Exception ex);
}
