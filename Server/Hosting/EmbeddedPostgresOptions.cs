namespace BlazorJobs.Server.Hosting;

/// <summary>Settings of the private PostgreSQL started when no connection string is configured.</summary>
public sealed class EmbeddedPostgresOptions
{
    public const string Section = "EmbeddedPostgres";

    /// <summary>Folder with initdb/pg_ctl/postgres; found automatically when unset.</summary>
    public string? BinDirectory { get; set; }

    /// <summary>The cluster's data folder; reused across starts. Defaults per OS user, see <see cref="EmbeddedPostgres"/>.</summary>
    public string? DataDirectory { get; set; }

    public string Database { get; set; } = "blazorjobs";

    /// <summary>Extra <c>postgres -c</c> settings, e.g. for benchmarks.</summary>
    public Dictionary<string, string> Settings { get; set; } = new();
}
