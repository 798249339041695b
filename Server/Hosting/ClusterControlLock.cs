namespace BlazorJobs.Server.Hosting;

/// <summary>
/// Serialises what changes an embedded cluster's state — initdb, start, join, stop, restart after a
/// crash — among every instance using one data folder, so two never race (two initdb, two postmasters,
/// one stopping what the other just joined). The lock file sits beside the data folder and is never deleted.
/// </summary>
internal sealed class ClusterControlLock : IDisposable
{
    // Another process holds it for at most a cluster start; the OS has no awaitable signal for its release
    // (flock either blocks a thread or fails), so waiting is a short poll.
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(100);

    private readonly FileStream _file;

    private ClusterControlLock(FileStream file) => _file = file;

    public static string PathFor(string dataDirectory) => Path.TrimEndingDirectorySeparator(dataDirectory) + ".lock";

    public static async Task<ClusterControlLock> AcquireAsync(string dataDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = PathFor(dataDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (ExclusiveFileLock.TryTake(path, FileMode.OpenOrCreate) is { } file)
            {
                return new ClusterControlLock(file);
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new EmbeddedPostgresException(
                    $"Another BlazorJobs instance has been starting or stopping the embedded PostgreSQL in {dataDirectory} for over " +
                    $"{timeout.TotalSeconds:0} s (it holds {path}). Wait for it, or give this instance a folder of its own with " +
                    "EmbeddedPostgres:DataDirectory (environment: EmbeddedPostgres__DataDirectory=/some/other/folder).");
            }
            await Task.Delay(RetryInterval, cancellationToken);
        }
    }

    public void Dispose() => _file.Dispose();
}
