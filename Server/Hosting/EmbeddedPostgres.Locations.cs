namespace BlazorJobs.Server.Hosting;

/// <summary>Where the embedded cluster's data folder and the PostgreSQL binaries are, when not configured.</summary>
public sealed partial class EmbeddedPostgres
{
    /// <summary>The data folder used when none is configured.</summary>
    public static string DefaultDataDirectory() => PostgresTools.RunsAsRoot
        ? "/var/lib/blazorjobs/postgres"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "blazorjobs", "postgres");

    /// <summary>Finds the folder holding initdb, pg_ctl and postgres, or null when PostgreSQL is not installed.</summary>
    public static string? FindBinDirectory(string? configured = null)
    {
        static bool HasServer(string? dir) => dir is not null && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));

        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasServer(configured) ? configured : null;
        }

        var candidates = new List<string>();
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            // Newest major version first: /usr/lib/postgresql/17/bin before /15/bin.
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }
        candidates.Add("/usr/local/pgsql/bin");
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(HasServer);
    }

    public static string MissingBinariesMessage =>
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found, so the embedded database cannot start. " +
        "Install them (Debian/Ubuntu: apt-get install -y postgresql) or set EmbeddedPostgres:BinDirectory, " +
        "or point the app at an existing server with ConnectionStrings:Default " +
        "(environment: ConnectionStrings__Default=\"Host=...;Database=...;Username=...;Password=...\").";
}
