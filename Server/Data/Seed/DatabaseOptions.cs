namespace BlazorJobs.Server.Data.Seed;

/// <summary><c>Database:*</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Apply migrations at start-up. Turn off where a migration bundle is applied by the deployment.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Seed the demo catalogue (always with the embedded database).</summary>
    public bool SeedCatalog { get; set; } = true;

    /// <summary>
    /// What sits between the app and PostgreSQL on <c>ConnectionStrings:Default</c>. Behind
    /// <see cref="DatabasePooler.PgBouncer"/> the pooled connections do not auto-prepare and
    /// <c>ConnectionStrings:Listen</c> must reach PostgreSQL directly.
    /// </summary>
    public DatabasePooler Pooler { get; set; } = DatabasePooler.None;
}

/// <summary>A connection pooler in front of PostgreSQL, as <c>Database:Pooler</c> names it.</summary>
public enum DatabasePooler
{
    /// <summary>The connection string reaches PostgreSQL itself (or a pooler in session mode).</summary>
    None,

    /// <summary>PgBouncer in transaction mode: no session state survives a transaction.</summary>
    PgBouncer,
}
