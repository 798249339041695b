using System.Security.Cryptography;
using System.Text;
using BlazorJobs.Server.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Server.Jobs;

/// <summary>A question to enqueue, already validated and attributed to its owner.</summary>
public sealed record EnqueueCommand(
    string Kind,
    string OwnerKey,
    string Question,
    Guid? SessionId,
    Guid? CourseId,
    Guid? LessonId,
    string DeliveryMode,
    string? IdempotencyKey,
    bool DeliveryForced = false);

public enum EnqueueStatus { Accepted, SessionNotFound, IdempotencyKeyReused }

/// <summary>The outcome of an enqueue; for <see cref="EnqueueStatus.Accepted"/> the job (new, or the one an Idempotency-Key names).</summary>
public sealed record EnqueueOutcome(EnqueueStatus Status, Guid JobId = default, Guid SessionId = default, string DeliveryMode = "");

public enum JobChangeStatus { Changed, NotFound, Conflict }

/// <summary>The producer side of the queue: enqueue, cancel and retry, each one transaction with its events and NOTIFY.</summary>
public sealed class JobQueue(NpgsqlDataSource dataSource, IOptions<JobOptions> options)
{
    public const int SessionTitleLength = 80;

    /// <summary>
    /// Inserts the job, its event 1 (<c>status</c> PENDING) and the user's message, and notifies the
    /// workers, in one transaction. With an Idempotency-Key, a repeat within <c>Jobs:IdempotencyWindowHours</c> returns the
    /// first job instead: the key's row is inserted first, so a concurrent repeat waits on it and
    /// then sees the committed job.
    /// </summary>
    public async Task<EnqueueOutcome> EnqueueAsync(EnqueueCommand command, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var jobId = Guid.CreateVersion7();
        if (command.IdempotencyKey is { } key)
        {
            var existing = await ClaimIdempotencyKeyAsync(connection, command, key, jobId, cancellationToken);
            if (existing is not null)
            {
                await transaction.RollbackAsync(cancellationToken);
                return existing;
            }
        }

        var sessionId = await ResolveSessionAsync(connection, command, cancellationToken);
        if (sessionId is null)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new EnqueueOutcome(EnqueueStatus.SessionNotFound);
        }

        await using (var insert = new NpgsqlCommand(InsertJobSql, connection))
        {
            insert.Parameters.AddWithValue("id", jobId);
            insert.Parameters.AddWithValue("kind", command.Kind);
            insert.Parameters.AddWithValue("owner", command.OwnerKey);
            insert.Parameters.AddWithValue("session", sessionId.Value);
            insert.Parameters.AddWithValue("question", command.Question);
            insert.Parameters.AddWithValue("course", (object?)command.CourseId ?? DBNull.Value);
            insert.Parameters.AddWithValue("lesson", (object?)command.LessonId ?? DBNull.Value);
            insert.Parameters.AddWithValue("max", options.Value.MaxAttempts);
            insert.Parameters.AddWithValue("mode", command.DeliveryMode);
            insert.Parameters.AddWithValue("forced", command.DeliveryForced);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new EnqueueOutcome(EnqueueStatus.Accepted, jobId, sessionId.Value, command.DeliveryMode);
    }

    /// <summary>The job row, the user's message and event 1 in one statement; the NOTIFYs fire at COMMIT.</summary>
    private static readonly string InsertJobSql = JobEventSql.AppendEvent(
        """
        INSERT INTO jobs (id, kind, owner_key, session_id, question, course_id, lesson_id, status, attempt, max_attempts,
                          run_after, last_event_seq, delivery_mode, delivery_forced, created_at)
        VALUES (@id, @kind, @owner, @session, @question, @course, @lesson, 'PENDING', 1, @max, now(), 1, @mode, @forced, now())
        RETURNING *
        """,
        $"'{JobEventType.Status}'",
        JobEventSql.StatusData,
        extraCtes: $"""
            ,
            m AS (INSERT INTO chat_messages (session_id, job_id, role, text, created_at)
                  SELECT j.session_id, j.id, 'user', j.question, j.created_at FROM j),
            s AS (UPDATE chat_sessions SET updated_at = now() WHERE id = @session),
            wake AS (SELECT pg_notify('{Channels.JobEnqueued}', '') FROM j)
            """,
        extraColumns: ", (SELECT count(*) FROM wake) AS woken");

    private async Task<EnqueueOutcome?> ClaimIdempotencyKeyAsync(
        NpgsqlConnection connection, EnqueueCommand command, string key, Guid jobId, CancellationToken cancellationToken)
    {
        var questionHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(command.Question)));
        await using var claim = new NpgsqlCommand(
            """
            INSERT INTO idempotency_keys (owner_key, key, job_id, question_hash, created_at)
            VALUES (@owner, @key, @job, @hash, now())
            ON CONFLICT (owner_key, key) DO UPDATE
                SET job_id = excluded.job_id, question_hash = excluded.question_hash, created_at = excluded.created_at
                WHERE idempotency_keys.created_at < now() - @window
            RETURNING job_id
            """, connection);
        claim.Parameters.AddWithValue("owner", command.OwnerKey);
        claim.Parameters.AddWithValue("key", key);
        claim.Parameters.AddWithValue("job", jobId);
        claim.Parameters.AddWithValue("hash", questionHash);
        claim.Parameters.AddWithValue("window", options.Value.IdempotencyWindow);
        if (await claim.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return null; // the key is ours: enqueue a new job under it
        }

        await using var lookup = new NpgsqlCommand(
            """
            SELECT k.question_hash, j.id, j.session_id, j.delivery_mode
            FROM idempotency_keys k LEFT JOIN jobs j ON j.id = k.job_id
            WHERE k.owner_key = @owner AND k.key = @key
            """, connection);
        lookup.Parameters.AddWithValue("owner", command.OwnerKey);
        lookup.Parameters.AddWithValue("key", key);
        await using var reader = await lookup.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.GetString(0) != questionHash || reader.IsDBNull(1))
        {
            return new EnqueueOutcome(EnqueueStatus.IdempotencyKeyReused);
        }
        return new EnqueueOutcome(EnqueueStatus.Accepted, reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3));
    }

    /// <summary>The caller's own session, or a new one titled by the question; null when the id is not the caller's.</summary>
    private static async Task<Guid?> ResolveSessionAsync(NpgsqlConnection connection, EnqueueCommand command, CancellationToken cancellationToken)
    {
        if (command.SessionId is { } existing)
        {
            await using var check = new NpgsqlCommand(
                "SELECT 1 FROM chat_sessions WHERE id = @id AND owner_key = @owner AND kind = @kind", connection);
            check.Parameters.AddWithValue("id", existing);
            check.Parameters.AddWithValue("owner", command.OwnerKey);
            check.Parameters.AddWithValue("kind", command.Kind);
            return await check.ExecuteScalarAsync(cancellationToken) is null ? null : existing;
        }

        var sessionId = Guid.CreateVersion7();
        await using var create = new NpgsqlCommand(
            """
            INSERT INTO chat_sessions (id, kind, owner_key, course_id, title, created_at, updated_at)
            VALUES (@id, @kind, @owner, @course, @title, now(), now())
            """, connection);
        create.Parameters.AddWithValue("id", sessionId);
        create.Parameters.AddWithValue("kind", command.Kind);
        create.Parameters.AddWithValue("owner", command.OwnerKey);
        create.Parameters.AddWithValue("course", (object?)command.CourseId ?? DBNull.Value);
        create.Parameters.AddWithValue("title", SessionTitle(command.Question));
        await create.ExecuteNonQueryAsync(cancellationToken);
        return sessionId;
    }

    public static string SessionTitle(string question)
    {
        var singleLine = string.Join(' ', question.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return singleLine.Length <= SessionTitleLength ? singleLine : singleLine[..(SessionTitleLength - 1)].TrimEnd() + "…";
    }

    /// <summary>The user's Stop: an unfinished job becomes CANCELLED; its worker is fenced out at its next write.</summary>
    public Task<JobChangeStatus> CancelAsync(Guid jobId, string kind, string ownerKey, CancellationToken cancellationToken) =>
        ChangeOwnedJobAsync(CancelSql, jobId, kind, ownerKey, cancellationToken);

    /// <summary>A FAILED or CANCELLED job goes back to PENDING as a new attempt of the same job.</summary>
    public Task<JobChangeStatus> RetryAsync(Guid jobId, string kind, string ownerKey, CancellationToken cancellationToken) =>
        ChangeOwnedJobAsync(RetrySql, jobId, kind, ownerKey, cancellationToken, ("max", options.Value.MaxAttempts));

    private const string OwnedJob = "id = @id AND kind = @kind AND owner_key = @owner";

    private static readonly string CancelSql = JobEventSql.AppendEvent(
        $"""
        UPDATE jobs SET status = 'CANCELLED', completed_at = clock_timestamp(), lease_token = NULL, lease_expires_at = NULL,
               last_event_seq = last_event_seq + 1
        WHERE {OwnedJob} AND status IN ('PENDING', 'PROCESSING')
        RETURNING *
        """,
        $"'{JobEventType.Cancelled}'",
        "'{}'");

    private static readonly string RetrySql = JobEventSql.AppendEvent(
        $"""
        UPDATE jobs SET status = 'PENDING', attempt = attempt + 1, max_attempts = attempt + @max, run_after = now(),
               result = NULL, error_message = NULL, completed_at = NULL, delivered_at = NULL,
               last_event_seq = last_event_seq + 1
        WHERE {OwnedJob} AND status IN ('FAILED', 'CANCELLED')
        RETURNING *
        """,
        $"'{JobEventType.Status}'",
        JobEventSql.StatusData,
        extraCtes: $",\nwake AS (SELECT pg_notify('{Channels.JobEnqueued}', '') FROM j)",
        extraColumns: ", (SELECT count(*) FROM wake) AS woken");

    private async Task<JobChangeStatus> ChangeOwnedJobAsync(
        string sql, Guid jobId, string kind, string ownerKey, CancellationToken cancellationToken, params (string Name, object Value)[] extra)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("id", jobId);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("owner", ownerKey);
        foreach (var (name, value) in extra)
        {
            command.Parameters.AddWithValue(name, value);
        }
        if (await command.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return JobChangeStatus.Changed;
        }

        await using var exists = dataSource.CreateCommand($"SELECT 1 FROM jobs WHERE {OwnedJob}");
        exists.Parameters.AddWithValue("id", jobId);
        exists.Parameters.AddWithValue("kind", kind);
        exists.Parameters.AddWithValue("owner", ownerKey);
        return await exists.ExecuteScalarAsync(cancellationToken) is null ? JobChangeStatus.NotFound : JobChangeStatus.Conflict;
    }
}
