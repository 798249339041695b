namespace BlazorJobs.Bench.Hosting;

/// <summary>
/// The run's private folder, <c>/tmp/bj-bench-…</c>, holding the embedded PostgreSQL's data folder.
/// Every scenario's server reuses the cluster (no initdb per scenario); the folder is removed at the end.
/// </summary>
public sealed class BenchWorkspace : IDisposable
{
    private BenchWorkspace(string root)
    {
        Root = root;
    }

    public string Root { get; }

    /// <summary>The server's <c>EmbeddedPostgres:DataDirectory</c>; its password file is written beside it.</summary>
    public string DataDirectory => Path.Combine(Root, "data");

    public static BenchWorkspace Create()
    {
        var root = Directory.CreateTempSubdirectory("bj-bench-").FullName;
        // As root, PostgreSQL runs as the postgres user, who must be able to enter this folder (it is created 0700).
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        return new BenchWorkspace(root);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"  ! could not remove {Root}: {ex.Message}");
        }
    }
}
