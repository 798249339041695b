using BlazorJobs.Server.Data;
using BlazorJobs.Server.Data.Seed;
using BlazorJobs.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace BlazorJobs.Tests.Integration.Hosting;

public sealed class MigrationAndSeedTests
{
    [Fact]
    public async Task Migrations_apply_to_an_empty_database_and_the_seed_is_idempotent()
    {
        await using var dataSource = NpgsqlDataSource.Create(await CreateEmptyDatabaseAsync());
        var options = new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(dataSource).UseSnakeCaseNamingConvention().Options;

        await using (var db = new AppDbContext(options))
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ReloadTypesAsync();
        }

        await SeedAsync(options);
        var first = await CountsAsync(dataSource);
        await SeedAsync(options);
        var second = await CountsAsync(dataSource);

        Assert.Equal(first, second);
        Assert.True(first.Courses >= 3, $"{first.Courses} courses");
        Assert.True(first.Lessons >= 30, $"{first.Lessons} lessons");
        Assert.True(first.Chunks >= 200, $"{first.Chunks} chunks");
        Assert.Equal(first.Chunks, first.SearchableChunks);
    }

    private static async Task SeedAsync(DbContextOptions<AppDbContext> options)
    {
        await using var db = new AppDbContext(options);
        await new CatalogSeeder(db, NullLogger<CatalogSeeder>.Instance).SeedAsync(CancellationToken.None);
    }

    private sealed record Counts(long Courses, long Lessons, long Chunks, long SearchableChunks);

    private static async Task<Counts> CountsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT (SELECT count(*) FROM courses), (SELECT count(*) FROM lessons), (SELECT count(*) FROM lesson_chunks),
                   (SELECT count(*) FROM lesson_chunks WHERE search_vector IS NOT NULL AND search_vector <> ''::tsvector)
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Counts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>A brand-new database with no tables, on the shared test server.</summary>
    private static async Task<string> CreateEmptyDatabaseAsync()
    {
        var admin = new NpgsqlConnectionStringBuilder(await TestPostgres.AdminConnectionStringAsync()) { Pooling = false };
        var name = $"empty_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }
}
