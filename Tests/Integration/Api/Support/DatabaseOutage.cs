using BlazorJobs.Tests.Infrastructure;
using Npgsql;

namespace BlazorJobs.Tests.Integration.Api.Support;

/// <summary>
/// Makes one app's database refuse connections, as a failed-over or restarting PostgreSQL would, and
/// drops the connections it had; ending the outage lets it connect again. Only that database is affected.
/// </summary>
public sealed class DatabaseOutage : IAsyncDisposable
{
    private readonly string _database;
    private bool _ended;

    private DatabaseOutage(string database) => _database = database;

    public static async Task<DatabaseOutage> BeginAsync(AppFixture app)
    {
        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database!;
        await AsSuperuserAsync($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false");
        await AsSuperuserAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'");
        return new DatabaseOutage(database);
    }

    public async Task EndAsync()
    {
        if (!_ended)
        {
            _ended = true;
            await AsSuperuserAsync($"ALTER DATABASE \"{_database}\" ALLOW_CONNECTIONS true");
        }
    }

    /// <summary>Ends the outage even when a test fails half-way, so the app can shut down cleanly.</summary>
    public async ValueTask DisposeAsync() => await EndAsync();

    private static async Task AsSuperuserAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(await TestPostgres.AdminConnectionStringAsync()) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
