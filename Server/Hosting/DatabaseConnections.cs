using BlazorJobs.Server.Data.Seed;

namespace BlazorJobs.Server.Hosting;

/// <summary>
/// The app's two roles of connection to PostgreSQL. <see cref="Pooled"/> carries every query, through
/// PgBouncer when there is one, each statement or transaction complete in itself. <see cref="Direct"/>
/// carries what needs a session of its own — the EventHub's <c>LISTEN</c> and the migrations with their
/// advisory lock — straight to PostgreSQL: <c>ConnectionStrings:Listen</c>, or the main string when unset.
/// </summary>
public sealed record DatabaseConnections(string Pooled, string Direct, DatabasePooler Pooler)
{
    public const string DefaultName = "Default";
    public const string ListenName = "Listen";

    /// <param name="embedded">The embedded cluster's connection string, when the app started one: both roles use it.</param>
    public static DatabaseConnections From(IConfiguration configuration, string? embedded)
    {
        if (embedded is not null)
        {
            return new(AppConnectionString.Tune(embedded, DatabasePooler.None), embedded, DatabasePooler.None);
        }
        var pooler = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()?.Pooler ?? DatabasePooler.None;
        var main = configuration.GetConnectionString(DefaultName)!;
        var listen = configuration.GetConnectionString(ListenName);
        if (string.IsNullOrWhiteSpace(listen))
        {
            if (pooler == DatabasePooler.PgBouncer)
            {
                throw new InvalidOperationException(
                    "Database:Pooler is PgBouncer but ConnectionStrings:Listen is unset. PgBouncer in transaction mode hands " +
                    "each transaction to any server connection, so LISTEN would hear nothing and the migration lock would " +
                    "not hold: set ConnectionStrings:Listen to PostgreSQL's own host and port (the app opens one connection on it).");
            }
            listen = main;
        }
        return new(AppConnectionString.Tune(main, pooler), listen, pooler);
    }
}
