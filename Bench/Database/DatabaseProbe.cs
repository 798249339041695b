using Npgsql;

namespace BlazorJobs.Bench.Database;

/// <summary>A statement as <c>pg_stat_statements</c> groups it.</summary>
public sealed record StatementCount(long QueryId, string Query, long Calls);

/// <summary>
/// The benchmark's own connection to the server's embedded PostgreSQL (TCP on 127.0.0.1, with the
/// superuser password the server keeps beside its data folder). It counts the app's statements with
/// <c>pg_stat_statements</c> and checks the LISTEN connection. Its own statements carry a marker
/// comment and are left out of every count.
/// </summary>
public sealed class DatabaseProbe : IAsyncDisposable
{
    private const string Marker = "/* bench-probe */";
    private readonly NpgsqlConnection _connection;

    private DatabaseProbe(NpgsqlConnection connection, string connectionString)
    {
        _connection = connection;
        ConnectionString = connectionString;
    }

    /// <summary>How the probe connects (no pooling), for helpers that need connections of their own.</summary>
    public string ConnectionString { get; }

    public static async Task<DatabaseProbe> ConnectAsync(int port, string dataDirectory)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "blazorjobs",
            Password = await ReadPasswordAsync(dataDirectory),
            Database = "blazorjobs",
            // One long-lived connection: a pooled one would add a reset statement at each reuse.
            Pooling = false,
            ApplicationName = "blazorjobs-bench",
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        var probe = new DatabaseProbe(connection, builder.ConnectionString);
        // The embedded server preloads the library; the view and functions come with the extension.
        await probe.ExecuteAsync("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        return probe;
    }

    /// <summary>The <c>&lt;DataDirectory&gt;.password</c> file: <c>user=blazorjobs password=…</c>.</summary>
    private static async Task<string> ReadPasswordAsync(string dataDirectory)
    {
        var text = await File.ReadAllTextAsync(dataDirectory.TrimEnd('/') + ".password");
        return text.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
            .Single(part => part.StartsWith("password=", StringComparison.Ordinal))["password=".Length..];
    }

    public async Task<string> ServerVersionAsync() => (string)(await ScalarAsync("SHOW server_version"))!;

    public Task ResetStatementsAsync() => ExecuteAsync("SELECT pg_stat_statements_reset()");

    /// <summary>Statements the app executed in its database since the last reset (utility statements included).</summary>
    public async Task<long> StatementsAsync() => (long)(await ScalarAsync(
        $"SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%{Marker}%'"))!;

    /// <summary>The same, grouped by statement, for reading what a phase cost.</summary>
    public async Task<IReadOnlyList<StatementCount>> StatementsByQueryAsync()
    {
        await using var command = new NpgsqlCommand(Tag(
            $"""
            SELECT queryid, query, calls FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%{Marker}%'
            ORDER BY calls DESC
            """), _connection);
        var rows = new List<StatementCount>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new StatementCount(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)));
        }
        return rows;
    }

    /// <summary>Connections named as the server's one LISTEN connection (EventHub.ApplicationName).</summary>
    public async Task<long> ListenerConnectionsAsync() => (long)(await ScalarAsync(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'blazorjobs-listener'"))!;

    /// <summary>How many of these jobs have reached one of the given states.</summary>
    public async Task<long> CountJobsAsync(IReadOnlyCollection<Guid> jobIds, params string[] statuses)
    {
        await using var command = new NpgsqlCommand(Tag("SELECT count(*) FROM jobs WHERE id = ANY(@ids) AND status = ANY(@statuses)"), _connection);
        command.Parameters.AddWithValue("ids", jobIds.ToArray());
        command.Parameters.AddWithValue("statuses", statuses);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Job events written between two instants: each is one notifying commit (the event row and its NOTIFY
    /// commit together), so this is the rate PostgreSQL's notify queue was asked to carry.
    /// </summary>
    public async Task<long> JobEventsBetweenAsync(DateTimeOffset from, DateTimeOffset to)
    {
        await using var command = new NpgsqlCommand(Tag("SELECT count(*) FROM job_events WHERE created_at >= @from AND created_at < @to"), _connection);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Benchmark clean-up, not a measurement: every job still queued becomes CANCELLED at once, so that no
    /// later server's worker picks up thousands of leftovers. (Cancelling that many through the API would
    /// take longer than the measurement did; their streams are closed by the client instead.)
    /// </summary>
    public async Task<long> CancelQueuedJobsAsync()
    {
        await using var command = new NpgsqlCommand(Tag(
            "UPDATE jobs SET status = 'CANCELLED', completed_at = clock_timestamp() WHERE status = 'PENDING'"), _connection);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Waits (polling the table from this side, not the app's) until every job is in one of the states.</summary>
    public async Task WaitForJobsAsync(IReadOnlyCollection<Guid> jobIds, TimeSpan timeout, params string[] statuses)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (await CountJobsAsync(jobIds, statuses) < jobIds.Count)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{jobIds.Count} jobs did not all reach {string.Join('/', statuses)} within {timeout.TotalSeconds} s.");
            }
            await Task.Delay(100);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = new NpgsqlCommand(Tag(sql), _connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var command = new NpgsqlCommand(Tag(sql), _connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// pg_stat_statements keeps comments inside a statement's text (but replaces literals, so a marker
    /// inside a string would vanish): the marker goes in as a comment after the first keyword.
    /// </summary>
    private static string Tag(string sql) => sql.Insert(sql.IndexOf(' ', StringComparison.Ordinal) + 1, Marker + " ");

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
