using BlazorJobs.Server.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Server.Jobs;

/// <summary>Claims the next runnable job: a due PENDING one, or a PROCESSING one whose worker's lease expired.</summary>
public sealed class JobClaimer(NpgsqlDataSource dataSource, IOptions<JobOptions> options, InstanceIdentity instance, TimeProvider time)
{
    /// <remarks>
    /// <c>FOR UPDATE SKIP LOCKED</c> lets concurrent workers claim different rows without waiting on
    /// each other. Reclaiming an expired lease starts a new attempt (the crashed worker's partial
    /// answer is abandoned), and the fresh lease token fences the old worker out. <c>claimed_by</c>
    /// names the claiming instance for the operations dashboard.
    /// </remarks>
    private static readonly string ClaimSql = JobEventSql.AppendEvent(
        """
        UPDATE jobs SET status = 'PROCESSING', lease_token = @token, claimed_by = @instance, lease_expires_at = now() + make_interval(secs => @lease),
               started_at = now(), attempt = CASE WHEN status = 'PROCESSING' THEN attempt + 1 ELSE attempt END,
               last_event_seq = last_event_seq + 1
        WHERE id = (
            SELECT id FROM jobs
            WHERE status IN ('PENDING', 'PROCESSING') AND run_after <= now()
              AND (status = 'PENDING' OR lease_expires_at < now())
            ORDER BY run_after
            LIMIT 1
            FOR UPDATE SKIP LOCKED)
        RETURNING *
        """,
        $"'{JobEventType.Status}'",
        JobEventSql.StatusData,
        extraColumns: ", j.kind, j.session_id, j.question, j.course_id, j.lesson_id, j.max_attempts, j.lease_token");

    public async Task<JobLease?> TryClaimAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ClaimSql);
        command.Parameters.AddWithValue("token", Guid.NewGuid());
        command.Parameters.AddWithValue("lease", options.Value.LeaseSeconds);
        command.Parameters.AddWithValue("instance", instance.Id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var job = new ClaimedJob(
            Id: reader.GetGuid(reader.GetOrdinal("job_id")),
            Kind: reader.GetString(reader.GetOrdinal("kind")),
            SessionId: reader.GetGuid(reader.GetOrdinal("session_id")),
            Question: reader.GetString(reader.GetOrdinal("question")),
            CourseId: reader.IsDBNull(reader.GetOrdinal("course_id")) ? null : reader.GetGuid(reader.GetOrdinal("course_id")),
            LessonId: reader.IsDBNull(reader.GetOrdinal("lesson_id")) ? null : reader.GetGuid(reader.GetOrdinal("lesson_id")),
            Attempt: reader.GetInt32(reader.GetOrdinal("attempt")),
            MaxAttempts: reader.GetInt32(reader.GetOrdinal("max_attempts")),
            LeaseToken: reader.GetGuid(reader.GetOrdinal("lease_token")));
        return new JobLease(dataSource, job, options.Value, time);
    }
}
