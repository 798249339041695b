using BlazorJobs.Server.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Server.Jobs;

/// <summary>What an admin's change to a job came to.</summary>
public enum AdminJobChangeOutcome
{
    Done,
    NotFound,
    /// <summary>The job exists but is not in a state the change applies to (e.g. retrying a completed job).</summary>
    NotApplicable,
}

/// <summary>
/// An admin's retry and cancel of any job, whoever owns it (the learner's own are in <see cref="JobQueue"/>,
/// fenced by owner). Each is one statement: the job's change, its event and NOTIFY (so the learner's open
/// stream sees it) and the <c>admin_audit</c> row commit together. Here, beside the queue, because every
/// write to <c>jobs</c> lives in Jobs/; the operations side (Operations/AdminJobActions) logs and refreshes.
/// </summary>
public sealed class AdminJobChanges(NpgsqlDataSource dataSource, IOptions<JobOptions> options)
{
    // A data-modifying CTE runs whether or not the statement reads it (unlike the pg_notify SELECT, which must be read).
    private const string Audit = ",\naudit AS (INSERT INTO admin_audit (admin, action, job_id, created_at) SELECT @admin, @action, j.id, now() FROM j)";

    private static readonly string CancelSql = JobEventSql.AppendEvent(
        """
        UPDATE jobs SET status = 'CANCELLED', completed_at = clock_timestamp(), lease_token = NULL, lease_expires_at = NULL,
               last_event_seq = last_event_seq + 1
        WHERE id = @id AND status IN ('PENDING', 'PROCESSING')
        RETURNING *
        """,
        $"'{JobEventType.Cancelled}'",
        "'{}'",
        extraCtes: Audit);

    private static readonly string RetrySql = JobEventSql.AppendEvent(
        """
        UPDATE jobs SET status = 'PENDING', attempt = attempt + 1, max_attempts = attempt + @max, run_after = now(),
               result = NULL, error_message = NULL, completed_at = NULL, delivered_at = NULL,
               last_event_seq = last_event_seq + 1
        WHERE id = @id AND status IN ('FAILED', 'CANCELLED')
        RETURNING *
        """,
        $"'{JobEventType.Status}'",
        JobEventSql.StatusData,
        extraCtes: Audit + $",\nwake AS (SELECT pg_notify('{Channels.JobEnqueued}', '') FROM j)",
        extraColumns: ", (SELECT count(*) FROM wake) AS woken");

    /// <summary>A FAILED or CANCELLED job goes back to PENDING as a new attempt, with a fresh allowance of retries.</summary>
    public Task<AdminJobChangeOutcome> RetryAsync(Guid jobId, string admin, CancellationToken cancellationToken) =>
        ChangeAsync(RetrySql, "retry", jobId, admin, cancellationToken);

    /// <summary>A PENDING or PROCESSING job becomes CANCELLED; its worker is fenced out at its next write.</summary>
    public Task<AdminJobChangeOutcome> CancelAsync(Guid jobId, string admin, CancellationToken cancellationToken) =>
        ChangeAsync(CancelSql, "cancel", jobId, admin, cancellationToken);

    private async Task<AdminJobChangeOutcome> ChangeAsync(string sql, string action, Guid jobId, string admin, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("id", jobId);
        command.Parameters.AddWithValue("admin", admin);
        command.Parameters.AddWithValue("action", action);
        if (sql == RetrySql)
        {
            command.Parameters.AddWithValue("max", options.Value.MaxAttempts);
        }
        if (await command.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return AdminJobChangeOutcome.Done;
        }

        await using var exists = dataSource.CreateCommand("SELECT 1 FROM jobs WHERE id = @id");
        exists.Parameters.AddWithValue("id", jobId);
        return await exists.ExecuteScalarAsync(cancellationToken) is null ? AdminJobChangeOutcome.NotFound : AdminJobChangeOutcome.NotApplicable;
    }
}
