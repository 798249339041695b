using Npgsql;

namespace BlazorJobs.Tests.Infrastructure;

/// <summary>What the app asked PostgreSQL, from pg_stat_statements, for one test database at a time.</summary>
public static class StatementStats
{
    /// <summary>Resets the statistics of this test's database only (other test classes share the server).</summary>
    public static async Task ResetAsync(NpgsqlConnection database)
    {
        await using var reset = new NpgsqlCommand(
            "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)", database);
        await reset.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Statements run in this database since the reset, except this connection's own and the keep-alive
    /// <c>SELECT 1</c> of the listener (one per 30 s of silence per process, whatever the number of streams)
    /// or of PgBouncer (<c>select 1</c> on a server connection idle for 30 s).
    /// </summary>
    public static async Task<List<(long Calls, string Query)>> SinceResetAsync(NpgsqlConnection database)
    {
        await using var read = new NpgsqlCommand(
            """
            SELECT calls, query FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND query NOT ILIKE '%pg_stat_statements%' AND query NOT ILIKE 'SELECT 1'
            """, database);
        var statements = new List<(long, string)>();
        await using var reader = await read.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            statements.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        return statements;
    }
}
