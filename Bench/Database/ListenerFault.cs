using System.Diagnostics;
using Npgsql;

namespace BlazorJobs.Bench.Database;

/// <summary>What became of the server's LISTEN connection after it was terminated.</summary>
/// <param name="At">When <c>pg_terminate_backend</c> returned.</param>
/// <param name="Back">From then until a new listener backend had run its <c>LISTEN</c>s; null if it never came back in time.</param>
public sealed record ListenerOutage(int OldPid, int? NewPid, DateTimeOffset At, TimeSpan? Back);

/// <summary>
/// Target 9's fault: <c>pg_terminate_backend</c> on the server's one LISTEN connection, found in
/// <c>pg_stat_activity</c> by the name the server gives it (EventHub.ApplicationName), then watched from
/// PostgreSQL's side until a new backend of that name is idle after its <c>LISTEN</c> (the connection is
/// back and listening), not merely connected. Its own connection, apart from the probe's.
/// </summary>
public sealed class ListenerFault(string connectionString)
{
    public const string ListenerName = "blazorjobs-listener";
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(5);

    public async Task<ListenerOutage> TerminateAndWatchAsync(TimeSpan giveUpAfter)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var oldPid = await ListenerPidAsync(connection, listening: false)
            ?? throw new InvalidOperationException($"No '{ListenerName}' connection in pg_stat_activity to terminate.");
        await using (var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", connection))
        {
            terminate.Parameters.AddWithValue("pid", oldPid);
            if (await terminate.ExecuteScalarAsync() is not true)
            {
                throw new InvalidOperationException($"pg_terminate_backend({oldPid}) did not signal the listener.");
            }
        }
        var at = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < giveUpAfter)
        {
            if (await ListenerPidAsync(connection, listening: true) is { } pid && pid != oldPid)
            {
                return new ListenerOutage(oldPid, pid, at, clock.Elapsed);
            }
            await Task.Delay(PollEvery);
        }
        return new ListenerOutage(oldPid, null, at, null);
    }

    /// <summary>
    /// The server's pooled connections open now, and how many of them were opened after <paramref name="since"/>: after a
    /// reconnect the listener clears the pool (EventHub: the server may have restarted under it), and every one is reopened.
    /// </summary>
    public async Task<(long Open, long OpenedSince)> PoolConnectionsAsync(DateTimeOffset since)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*), count(*) FILTER (WHERE backend_start > @since) FROM pg_stat_activity " +
            "WHERE backend_type = 'client backend' AND datname = current_database() AND pid <> pg_backend_pid() " +
            "AND coalesce(application_name, '') NOT IN (@listener, 'blazorjobs-bench', 'blazorjobs-supervisor')", connection);
        command.Parameters.AddWithValue("since", since);
        command.Parameters.AddWithValue("listener", ListenerName);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The listener's backend; with <paramref name="listening"/>, only once its last statement was the LISTEN and it is waiting.</summary>
    private static async Task<int?> ListenerPidAsync(NpgsqlConnection connection, bool listening)
    {
        await using var command = new NpgsqlCommand(
            "SELECT pid FROM pg_stat_activity WHERE application_name = @name" +
            (listening ? " AND state = 'idle' AND query LIKE 'LISTEN%'" : "") + " ORDER BY backend_start DESC LIMIT 1", connection);
        command.Parameters.AddWithValue("name", ListenerName);
        return await command.ExecuteScalarAsync() is int pid ? pid : null;
    }
}
