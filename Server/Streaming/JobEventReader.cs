using Npgsql;

namespace BlazorJobs.Server.Streaming;

/// <summary>A stored job event, as replayed to a stream.</summary>
public sealed record StoredJobEvent(long GlobalId, Guid JobId, int Seq, string Type, string Data, string Status, int Attempt);

/// <summary>Reads stored job events: when a stream opens or resumes, after a listener reconnect, and for oversized notifications.</summary>
public sealed class JobEventReader(NpgsqlDataSource dataSource)
{
    /// <summary>The job's events after <paramref name="afterSeq"/>, in order.</summary>
    public async Task<List<StoredJobEvent>> ReadJobEventsAsync(Guid jobId, int afterSeq, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT e.id, e.job_id, e.seq, e.type, e.data, j.status, j.attempt
            FROM job_events e JOIN jobs j ON j.id = e.job_id
            WHERE e.job_id = @job AND e.seq > @after
            ORDER BY e.seq
            """);
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("after", afterSeq);
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <summary>
    /// The state-changing events (not progress or delta) of every job of a session after a global id,
    /// in id order: what a session stream replays.
    /// </summary>
    public async Task<List<StoredJobEvent>> ReadSessionUpdatesAsync(Guid sessionId, long afterGlobalId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT e.id, e.job_id, e.seq, e.type, e.data, j.status, j.attempt
            FROM jobs j JOIN job_events e ON e.job_id = j.id
            WHERE j.session_id = @session AND e.id > @after AND e.type IN ('status', 'completed', 'failed', 'cancelled')
            ORDER BY e.id
            """);
        command.Parameters.AddWithValue("session", sessionId);
        command.Parameters.AddWithValue("after", afterGlobalId);
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <summary>The global id of the session's latest job event (0 when none): where a session stream opened without <c>Last-Event-ID</c> starts.</summary>
    public async Task<long> ReadSessionLatestIdAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT coalesce(max(e.id), 0) FROM jobs j JOIN job_events e ON e.job_id = j.id WHERE j.session_id = @session");
        command.Parameters.AddWithValue("session", sessionId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// The state-changing events of every job a caller owns after a global id, in id order, each with its
    /// session: what a caller's events stream replays (jobs are indexed by owner).
    /// </summary>
    public async Task<List<(Guid SessionId, StoredJobEvent Event)>> ReadOwnerUpdatesAsync(string ownerKey, long afterGlobalId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT e.id, e.job_id, e.seq, e.type, e.data, j.status, j.attempt, j.session_id
            FROM jobs j JOIN job_events e ON e.job_id = j.id
            WHERE j.owner_key = @owner AND e.id > @after AND e.type IN ('status', 'completed', 'failed', 'cancelled')
            ORDER BY e.id
            """);
        command.Parameters.AddWithValue("owner", ownerKey);
        command.Parameters.AddWithValue("after", afterGlobalId);
        var updates = new List<(Guid, StoredJobEvent)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            updates.Add((reader.GetGuid(7), new StoredJobEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetInt32(6))));
        }
        return updates;
    }

    /// <summary>The global id of the caller's latest job event (0 when none): where an events stream opened without <c>Last-Event-ID</c> starts.</summary>
    public async Task<long> ReadOwnerLatestIdAsync(string ownerKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT coalesce(max(e.id), 0) FROM jobs j JOIN job_events e ON e.job_id = j.id WHERE j.owner_key = @owner");
        command.Parameters.AddWithValue("owner", ownerKey);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The data of one event whose notification was too large to carry it.</summary>
    public async Task<string?> ReadDataAsync(long globalId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT data FROM job_events WHERE id = @id");
        command.Parameters.AddWithValue("id", globalId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<List<StoredJobEvent>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var events = new List<StoredJobEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new StoredJobEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetInt32(6)));
        }
        return events;
    }
}
