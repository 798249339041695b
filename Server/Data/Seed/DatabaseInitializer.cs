using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Server.Data.Seed;

/// <summary>
/// Brings the database up to date at start-up: migrations, the catalogue, the demo accounts. Several
/// instances starting together take turns on a PostgreSQL advisory lock, so no two migrate at once.
/// </summary>
/// <remarks>
/// The lock is a session's, and so are the migrations (one may run outside a transaction): both go over
/// the direct connection, since behind PgBouncer in transaction mode a pooled connection's next
/// statement may run in another server session, which would never release the lock. Seeding holds no
/// session state and goes through the pool like every other query.
/// </remarks>
public sealed partial class DatabaseInitializer(
    IServiceProvider services,
    NpgsqlDataSource dataSource,
    DatabaseConnections connections,
    IOptions<DatabaseOptions> options,
    IOptions<DemoAccountsOptions> demoOptions,
    ILogger<DatabaseInitializer> logger)
{
    /// <summary>An arbitrary, fixed key: "BJMIGRAT".</summary>
    private const long MigrationLockKey = 0x424A_4D49_4752_4154;

    public async Task<IReadOnlyList<DemoAccounts.Login>> InitializeAsync(bool embedded, CancellationToken cancellationToken)
    {
        await using var direct = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connections.Direct) { Pooling = false }.ConnectionString);
        await using var lockConnection = await direct.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", lockConnection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            await using var scope = services.CreateAsyncScope();
            if (options.Value.MigrateOnStartup)
            {
                LogMigrating();
                await MigrateAsync(direct, cancellationToken);
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

    private static async Task MigrateAsync(NpgsqlDataSource direct, CancellationToken cancellationToken)
    {
        var migrationOptions = new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(direct).UseSnakeCaseNamingConvention().Options;
        await using var db = new AppDbContext(migrationOptions);
        await db.Database.MigrateAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bringing the database schema up to date")]
    private partial void LogMigrating();
}
