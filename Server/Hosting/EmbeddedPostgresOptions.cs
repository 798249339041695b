using System.ComponentModel.DataAnnotations;

namespace BlazorJobs.Server.Hosting;

/// <summary>Settings of the private PostgreSQL started when no connection string is configured.</summary>
public sealed class EmbeddedPostgresOptions
{
    public const string Section = "EmbeddedPostgres";

    /// <summary>Folder with initdb/pg_ctl/postgres; found automatically when unset.</summary>
    public string? BinDirectory { get; set; }

    /// <summary>The cluster's data folder; reused across starts and shared by every instance given the same one. Defaults per OS user, see <see cref="EmbeddedPostgres"/>.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>PostgreSQL truncates identifiers past 63 bytes: a longer name would create a database other than the one connected to.</summary>
    [Required, StringLength(63, MinimumLength = 1)] public string Database { get; set; } = "blazorjobs";

    /// <summary>Extra <c>postgres -c</c> settings, e.g. for benchmarks; an instance that joins a running cluster keeps the cluster's.</summary>
    public Dictionary<string, string> Settings { get; set; } = new();

    /// <summary>How long to wait while another instance starts or stops the cluster of the same data folder.</summary>
    [Range(1, 3600)] public int ControlLockTimeoutSeconds { get; set; } = 120;

    /// <summary>How long the supervisor keeps trying to start a postmaster that died (its orphaned backends must exit first).</summary>
    [Range(1, 3600)] public int RestartTimeoutSeconds { get; set; } = 60;
}
