using System.Text.Json;
using BlazorJobs.Server.Data;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Tutor;
using Npgsql;

namespace BlazorJobs.Server.Jobs;

/// <summary>
/// A worker's hold on one claimed job. Every write it makes is fenced by the lease token: once the
/// lease has expired and another worker claimed the job (or the user cancelled it), the token no
/// longer matches, the write changes nothing and <see cref="LeaseLostException"/> tells the worker to stop.
/// </summary>
public sealed class JobLease(NpgsqlDataSource dataSource, ClaimedJob job, JobOptions options, TimeProvider time)
{
    private const string Fence = "WHERE id = @id AND lease_token = @token AND status = 'PROCESSING'";

    public ClaimedJob Job => job;

    /// <summary>When the lease was last extended, so the renewal timer can skip a renewal an event write already made.</summary>
    public DateTimeOffset LastRenewedAt { get; private set; } = time.GetUtcNow();

    private string LeaseExpiry => $"now() + make_interval(secs => {options.LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)})";

    /// <summary>Appends a progress or delta event (and extends the lease, since the worker is evidently alive).</summary>
    public Task AppendAsync(string type, object data, CancellationToken cancellationToken) =>
        ExecuteFencedAsync(
            JobEventSql.AppendEvent(
                $"UPDATE jobs SET last_event_seq = last_event_seq + 1, lease_expires_at = {LeaseExpiry} {Fence} RETURNING *",
                "@type", "@data"),
            cancellationToken,
            new NpgsqlParameter("type", type),
            new NpgsqlParameter("data", JsonSerializer.Serialize(data, JsonDefaults.Options)));

    /// <summary>Extends the lease without an event.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"UPDATE jobs SET lease_expires_at = {LeaseExpiry} {Fence}");
        AddFenceParameters(command);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new LeaseLostException(job.Id);
        }
        LastRenewedAt = time.GetUtcNow();
    }

    /// <summary>
    /// Writes the result, the <c>completed</c> event (with <c>completedAt</c> stamped just before COMMIT) and
    /// the assistant's message, in one transaction. The message is written only if the session still exists.
    /// </summary>
    public Task CompleteAsync(TutorAnswer answer, CancellationToken cancellationToken)
    {
        var result = new JobResult(answer.Answer, job.SessionId, answer.NextSuggestions, answer.Sources);
        const string extraCtes = $"""
            ,
            m AS (
                INSERT INTO chat_messages (session_id, job_id, role, text, sources, created_at)
                SELECT j.session_id, j.id, 'assistant', @answer, @sources::jsonb, j.completed_at FROM j
                WHERE EXISTS (SELECT 1 FROM chat_sessions s WHERE s.id = j.session_id)
                ON CONFLICT (job_id, role) DO NOTHING),
            s AS (UPDATE chat_sessions SET updated_at = now() WHERE id = (SELECT session_id FROM j)),
            feed AS (SELECT pg_notify('{Channels.FeedChanged}', json_build_object('t', 'answer', 'k', json_build_array(j.id))::text)
                     FROM j WHERE j.kind = '{ChatbotKind.Tutor}' AND j.course_id IS NOT NULL)
            """;
        return ExecuteFencedAsync(
            JobEventSql.AppendEvent(
                $"""
                UPDATE jobs SET status = 'COMPLETED', result = @result::jsonb, completed_at = clock_timestamp(),
                       last_event_seq = last_event_seq + 1, lease_token = NULL, lease_expires_at = NULL
                {Fence} RETURNING *
                """,
                $"'{JobEventType.Completed}'",
                $"(j.result || jsonb_build_object('completedAt', {JobEventSql.IsoUtc("j.completed_at")}))::text",
                extraCtes,
                // The live feed hears of tutor answers (anonymised: only the course) in the same commit.
                extraColumns: ", (SELECT count(*) FROM feed) AS feed_notified"),
            cancellationToken,
            new NpgsqlParameter("result", JsonSerializer.Serialize(result, JsonDefaults.Options)),
            new NpgsqlParameter("answer", answer.Answer),
            new NpgsqlParameter("sources", JsonSerializer.Serialize(answer.Sources, JsonDefaults.Options)));
    }

    /// <summary>Marks the job FAILED for good with a message a user can read.</summary>
    public Task FailAsync(string userMessage, CancellationToken cancellationToken) =>
        ExecuteFencedAsync(
            JobEventSql.AppendEvent(
                $"""
                UPDATE jobs SET status = 'FAILED', error_message = @error, completed_at = clock_timestamp(),
                       last_event_seq = last_event_seq + 1, lease_token = NULL, lease_expires_at = NULL
                {Fence} RETURNING *
                """,
                $"'{JobEventType.Failed}'",
                "json_build_object('error', j.error_message)::text"),
            cancellationToken,
            new NpgsqlParameter("error", userMessage));

    /// <summary>Puts the job back as PENDING for its next attempt after <paramref name="delay"/>.</summary>
    public Task RetryLaterAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        ExecuteFencedAsync(
            JobEventSql.AppendEvent(
                $"""
                UPDATE jobs SET status = 'PENDING', attempt = attempt + 1, run_after = now() + make_interval(secs => @delay),
                       last_event_seq = last_event_seq + 1, lease_token = NULL, lease_expires_at = NULL
                {Fence} RETURNING *
                """,
                $"'{JobEventType.Status}'",
                JobEventSql.StatusData),
            cancellationToken,
            new NpgsqlParameter("delay", delay.TotalSeconds));

    /// <summary>Hands the job back untouched (graceful shutdown): any worker may claim it at once.</summary>
    public Task ReleaseAsync(CancellationToken cancellationToken) =>
        ExecuteFencedAsync(
            JobEventSql.AppendEvent(
                $"""
                UPDATE jobs SET status = 'PENDING', run_after = now(),
                       last_event_seq = last_event_seq + 1, lease_token = NULL, lease_expires_at = NULL
                {Fence} RETURNING *
                """,
                $"'{JobEventType.Status}'",
                JobEventSql.StatusData),
            cancellationToken);

    private async Task ExecuteFencedAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        AddFenceParameters(command);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new LeaseLostException(job.Id);
        }
        LastRenewedAt = time.GetUtcNow();
    }

    private void AddFenceParameters(NpgsqlCommand command)
    {
        command.Parameters.AddWithValue("id", job.Id);
        command.Parameters.AddWithValue("token", job.LeaseToken);
    }
}

/// <summary>The job is no longer this worker's: its lease expired and was taken over, or the user cancelled it.</summary>
public sealed class LeaseLostException(Guid jobId) : Exception($"Job {jobId} is no longer held by this worker.")
{
    public Guid JobId => jobId;
}
