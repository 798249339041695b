using System.Text.Json;
using BlazorJobs.Server.Jobs;
using Npgsql;

namespace BlazorJobs.Server.Chat;

public sealed record SessionSummary(Guid SessionId, string Title, Guid? CourseId, DateTimeOffset UpdatedAt);

/// <param name="Suggestions">An answer's next questions (its job's result), so a page shown from history offers them as the live answer did.</param>
public sealed record HistoryMessage(string Role, string Text, Guid JobId, string Status, JsonElement? Sources, DateTimeOffset CreatedAt, JsonElement? Suggestions = null);

public sealed record PendingJob(Guid JobId, string Status, int LastEventId, string Delivery, string StreamUrl, string PollUrl);

public sealed record SessionHistory(Guid SessionId, IReadOnlyList<HistoryMessage> Messages, PendingJob? PendingJob);

/// <summary>A caller's chat sessions: list, history (with the unfinished job to resume) and delete.</summary>
public sealed class ChatHistory(NpgsqlDataSource dataSource, SessionJobs sessionJobs)
{
    public const int MaxSessionsListed = 50;

    public async Task<IReadOnlyList<SessionSummary>> ListAsync(Chatbot chatbot, string ownerKey, Guid? courseId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, title, course_id, updated_at FROM chat_sessions
            WHERE owner_key = @owner AND kind = @kind AND (@course::uuid IS NULL OR course_id = @course)
            ORDER BY updated_at DESC, id DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("owner", ownerKey);
        command.Parameters.AddWithValue("kind", chatbot.Kind);
        command.Parameters.Add(new NpgsqlParameter("course", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)courseId ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", MaxSessionsListed);
        var sessions = new List<SessionSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sessions.Add(new SessionSummary(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return sessions;
    }

    /// <summary>Whether the owner has any session of this chatbot (and course, when given).</summary>
    public async Task<bool> AnyAsync(Chatbot chatbot, string ownerKey, Guid? courseId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT 1 FROM chat_sessions WHERE owner_key = @owner AND kind = @kind AND (@course::uuid IS NULL OR course_id = @course) LIMIT 1");
        command.Parameters.AddWithValue("owner", ownerKey);
        command.Parameters.AddWithValue("kind", chatbot.Kind);
        command.Parameters.Add(new NpgsqlParameter("course", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)courseId ?? DBNull.Value });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<bool> ExistsAsync(Chatbot chatbot, Guid sessionId, string ownerKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT 1 FROM chat_sessions WHERE id = @id AND owner_key = @owner AND kind = @kind");
        command.Parameters.AddWithValue("id", sessionId);
        command.Parameters.AddWithValue("owner", ownerKey);
        command.Parameters.AddWithValue("kind", chatbot.Kind);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>The messages in order, and the session's unfinished job (so a reloaded page resumes its stream).</summary>
    public async Task<SessionHistory?> GetAsync(Chatbot chatbot, Guid sessionId, string ownerKey, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(chatbot, sessionId, ownerKey, cancellationToken))
        {
            return null;
        }

        // The resume point of an unfinished job is just before its current attempt's status event,
        // so the replay brings back the text streamed so far.
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            SELECT m.role, m.text, m.job_id, j.status, m.sources::text, m.created_at,
                   CASE WHEN m.role = 'assistant' THEN (j.result -> 'nextSuggestions')::text END
            FROM chat_messages m LEFT JOIN jobs j ON j.id = m.job_id
            WHERE m.session_id = @session
            ORDER BY m.id
            """) { Parameters = { new("session", sessionId) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            SELECT j.id, j.status,
                   COALESCE((SELECT max(e.seq) FROM job_events e WHERE e.job_id = j.id AND e.type = 'status'), 1) - 1,
                   j.delivery_mode
            FROM jobs j
            WHERE j.session_id = @session AND j.status IN ('PENDING', 'PROCESSING')
            ORDER BY j.created_at DESC
            LIMIT 1
            """) { Parameters = { new("session", sessionId) } });

        var messages = new List<HistoryMessage>();
        PendingJob? pending = null;
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var sources = reader.IsDBNull(4) ? (JsonElement?)null : JsonDocument.Parse(reader.GetString(4)).RootElement.Clone();
            messages.Add(new HistoryMessage(reader.GetString(0), reader.GetString(1), reader.GetGuid(2),
                reader.IsDBNull(3) ? JobStatus.Completed : reader.GetString(3), sources, reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : JsonDocument.Parse(reader.GetString(6)).RootElement.Clone()));
        }
        await reader.NextResultAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            var jobId = reader.GetGuid(0);
            pending = new PendingJob(jobId, reader.GetString(1), reader.GetInt32(2), reader.GetString(3), chatbot.StreamUrl(jobId), chatbot.PollUrl(jobId));
        }
        return new SessionHistory(sessionId, messages, pending);
    }

    /// <summary>Deletes the session, its messages and its finished jobs. Unfinished jobs run on; their answer is then not stored.</summary>
    public async Task<bool> DeleteAsync(Chatbot chatbot, Guid sessionId, string ownerKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM chat_sessions WHERE id = @id AND owner_key = @owner AND kind = @kind");
        command.Parameters.AddWithValue("id", sessionId);
        command.Parameters.AddWithValue("owner", ownerKey);
        command.Parameters.AddWithValue("kind", chatbot.Kind);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return false;
        }
        // Not one transaction: should this fail, the finished jobs still go after Jobs:RetentionDays.
        await sessionJobs.DeleteFinishedAsync(sessionId, cancellationToken);
        return true;
    }
}
