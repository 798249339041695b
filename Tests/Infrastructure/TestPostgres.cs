using BlazorJobs.Server.Data;
using BlazorJobs.Server.Data.Seed;
using BlazorJobs.Server.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace BlazorJobs.Tests.Infrastructure;

/// <summary>
/// One private PostgreSQL for the whole test run (the same embedded starter the app uses), holding a
/// migrated and seeded template database. Each test class gets a fresh database copied from the
/// template (<c>CREATE DATABASE … TEMPLATE</c>), so classes run in parallel without seeing each other's rows.
/// </summary>
public static class TestPostgres
{
    private const string TemplateName = "bj_template";
    private static readonly Lazy<Task<EmbeddedPostgres>> Server = new(StartAsync);
    private static readonly SemaphoreSlim CreateLock = new(1, 1);

    /// <summary>A new database copied from the template; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await Server.Value;
        var name = $"t_{Guid.NewGuid():N}";
        // CREATE DATABASE … TEMPLATE fails if another session is connected to the template: one at a time.
        await CreateLock.WaitAsync();
        try
        {
            await ExecuteAsync(server, "postgres", $"CREATE DATABASE {name} TEMPLATE {TemplateName}");
        }
        finally
        {
            CreateLock.Release();
        }
        return new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>A connection string to the server's maintenance database (for tests that need a superuser view).</summary>
    public static async Task<string> AdminConnectionStringAsync() =>
        new NpgsqlConnectionStringBuilder((await Server.Value).ConnectionString) { Database = "postgres" }.ConnectionString;

    public static async Task<EmbeddedPostgres> ServerAsync() => await Server.Value;

    private static async Task<EmbeddedPostgres> StartAsync()
    {
        var root = Directory.CreateTempSubdirectory("bj-tests-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            // The postgres OS user (when tests run as root) must be able to reach the data folder.
            File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        }
        var options = new EmbeddedPostgresOptions
        {
            DataDirectory = Path.Combine(root, "data"),
            Database = TemplateName,
            // Durability is not what these tests are about; speed is welcome. Every test class runs apps of
            // its own (fault and pooler tests two server processes), each with a pool and a listener, in
            // parallel: 300 connections ran out once ("53300: too many clients").
            Settings = { ["fsync"] = "off", ["full_page_writes"] = "off", ["max_connections"] = "1000" },
        };
        var server = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            server.StopAsync().GetAwaiter().GetResult();
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: it lives under the temp folder.
            }
            catch (UnauthorizedAccessException)
            {
            }
        };

        await PrepareTemplateAsync(server.ConnectionString);
        return server;
    }

    private static async Task PrepareTemplateAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var options = new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(dataSource).UseSnakeCaseNamingConvention().Options;
        await using (var db = new AppDbContext(options))
        {
            await db.Database.MigrateAsync();
        }
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ReloadTypesAsync();
        }
        await using (var db = new AppDbContext(options))
        {
            await new CatalogSeeder(db, NullLogger<CatalogSeeder>.Instance).SeedAsync(CancellationToken.None);
        }
        NpgsqlConnection.ClearAllPools();
    }

    private static async Task ExecuteAsync(EmbeddedPostgres server, string database, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database, Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
