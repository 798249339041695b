using Npgsql;

namespace BlazorJobs.Server.Jobs;

/// <summary>
/// The jobs of a chat session, when the session is deleted: the queue's tables are written only from
/// <c>Jobs/</c>, so the chat asks here rather than deleting rows it does not own.
/// </summary>
public sealed class SessionJobs(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Deletes the session's finished jobs (and, by cascade, their events): the questions and answers
    /// the user asked to forget. Unfinished jobs run on; their answer is then not stored.
    /// </summary>
    public async Task<int> DeleteFinishedAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM jobs WHERE session_id = @session AND status IN ('COMPLETED', 'FAILED', 'CANCELLED')");
        command.Parameters.AddWithValue("session", sessionId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
