using BlazorJobs.Server.Data;
using BlazorJobs.Server.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Server.Chat;

/// <summary>
/// Deletes chat sessions idle for <c>Chat:RetentionDays</c>, with their messages, on the queue
/// cleaner's interval and batch size (<c>Jobs:CleanupIntervalSeconds</c>, <c>Jobs:CleanupBatchSize</c>).
/// </summary>
public sealed partial class ChatSessionCleaner(
    NpgsqlDataSource dataSource,
    IOptions<ChatOptions> chatOptions,
    IOptions<JobOptions> jobOptions,
    TimeProvider time,
    ILogger<ChatSessionCleaner> logger) : PeriodicCleanup(time)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(jobOptions.Value.CleanupIntervalSeconds);

    protected override Task RunPassAsync(CancellationToken cancellationToken) => CleanOnceAsync(cancellationToken);

    protected override void OnPassFailed(Exception exception) => LogCleanupFailed(exception);

    /// <summary>One full pass; returns how many sessions were deleted.</summary>
    public async Task<int> CleanOnceAsync(CancellationToken cancellationToken)
    {
        // A session with an unfinished job is left alone: its answer must still reach whoever waits for it.
        // Its finished jobs are the job cleaner's: they go after Jobs:RetentionDays (7) whether or not the
        // session (idle for Chat:RetentionDays, 90) is still there.
        var sessions = await BatchedDelete.RunAsync(dataSource,
            """
            DELETE FROM chat_sessions WHERE id IN (
                SELECT id FROM chat_sessions s WHERE updated_at < now() - @age
                  AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.session_id = s.id AND j.status IN ('PENDING', 'PROCESSING'))
                LIMIT @batch)
            """, TimeSpan.FromDays(chatOptions.Value.RetentionDays), jobOptions.Value.CleanupBatchSize, cancellationToken);
        if (sessions > 0)
        {
            LogCleaned(sessions);
        }
        return sessions;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention cleanup deleted {Sessions} idle chat session(s)")]
    private partial void LogCleaned(int sessions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat session cleanup failed; it runs again at the next interval")]
    private partial void LogCleanupFailed(Exception ex);
}
