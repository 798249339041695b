using BlazorJobs.Server.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Server.Data.Seed;

/// <summary><c>Database:*</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Apply migrations at start-up. Turn off where a migration bundle is applied by the deployment.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Seed the demo catalogue (always with the embedded database).</summary>
    public bool SeedCatalog { get; set; } = true;
}

/// <summary>
/// Brings the database up to date at start-up: migrations, the catalogue, the demo accounts. Several
/// instances starting together take turns on a PostgreSQL advisory lock, so no two migrate at once.
/// </summary>
public sealed partial class DatabaseInitializer(
    IServiceProvider services,
    NpgsqlDataSource dataSource,
    IOptions<DatabaseOptions> options,
    IOptions<DemoAccountsOptions> demoOptions,
    ILogger<DatabaseInitializer> logger)
{
    /// <summary>An arbitrary, fixed key: "BJMIGRAT".</summary>
    private const long MigrationLockKey = 0x424A_4D49_4752_4154;

    public async Task<IReadOnlyList<DemoAccounts.Login>> InitializeAsync(bool embedded, CancellationToken cancellationToken)
    {
        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", lockConnection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (options.Value.MigrateOnStartup)
            {
                LogMigrating();
                await db.Database.MigrateAsync(cancellationToken);
                // Types created by a migration (tsvector columns, extensions) must be known to pooled connections.
                await using var reload = await dataSource.OpenConnectionAsync(cancellationToken);
                await reload.ReloadTypesAsync(cancellationToken);
            }
            if (options.Value.SeedCatalog || embedded)
            {
                await scope.ServiceProvider.GetRequiredService<CatalogSeeder>().SeedAsync(cancellationToken);
                await scope.ServiceProvider.GetRequiredService<Feed.FeedActivityGenerator>()
                    .SeedIfEmptyAsync(scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Feed.FeedOptions>>().Value.SeedActivityRows, cancellationToken);
            }

            var demo = scope.ServiceProvider.GetRequiredService<DemoAccounts>();
            if (embedded || demoOptions.Value.Enabled)
            {
                return await demo.EnsureAsync();
            }
            await demo.EnsureRolesAsync();
            return [];
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", lockConnection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bringing the database schema up to date")]
    private partial void LogMigrating();
}
