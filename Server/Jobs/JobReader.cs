using Npgsql;

namespace BlazorJobs.Server.Jobs;

/// <summary>Reads jobs for their owners: one indexed query, scoped by chatbot and owner so a foreign id looks missing.</summary>
public sealed class JobReader(NpgsqlDataSource dataSource)
{
    public async Task<JobSnapshot?> FindOwnedAsync(Guid jobId, string kind, string ownerKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, session_id, status, attempt, last_event_seq, created_at, completed_at, result::text, error_message, delivery_mode
            FROM jobs WHERE id = @id AND kind = @kind AND owner_key = @owner
            """);
        command.Parameters.AddWithValue("id", jobId);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("owner", ownerKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new JobSnapshot(
            reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4),
            reader.GetFieldValue<DateTimeOffset>(5),
            reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.GetString(9));
    }
}
