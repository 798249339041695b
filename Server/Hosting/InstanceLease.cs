namespace BlazorJobs.Server.Hosting;

/// <summary>
/// This instance's claim on a shared embedded cluster: a file in <c>&lt;data folder&gt;.instances/</c> it holds
/// locked for as long as it runs. The cluster stays up while any lease is held; the last instance out
/// stops it, and a cluster whose leases are all free was left running by instances that died.
/// </summary>
/// <remarks>Read and changed only under the <see cref="ClusterControlLock"/>.</remarks>
internal sealed class InstanceLease : IDisposable
{
    private readonly FileStream _file;

    private InstanceLease(FileStream file) => _file = file;

    public string Path => _file.Name;

    private static string FolderFor(string dataDirectory) => System.IO.Path.TrimEndingDirectorySeparator(dataDirectory) + ".instances";

    public static InstanceLease Take(string dataDirectory)
    {
        var folder = Directory.CreateDirectory(FolderFor(dataDirectory)).FullName;
        // The process id is for a person looking at the folder; what proves the owner alive is the lock.
        var path = System.IO.Path.Combine(folder, $"{Environment.ProcessId}-{Guid.NewGuid():N}.lease");
        var file = ExclusiveFileLock.TryTake(path, FileMode.CreateNew)
                   ?? throw new EmbeddedPostgresException($"Could not create the instance lease {path}.");
        return new InstanceLease(file);
    }

    /// <summary>How many other instances hold a lease; the files of dead ones are removed on the way.</summary>
    public static int CountOthersAlive(string dataDirectory, InstanceLease? own)
    {
        var folder = FolderFor(dataDirectory);
        if (!Directory.Exists(folder))
        {
            return 0;
        }
        var alive = 0;
        foreach (var path in Directory.EnumerateFiles(folder, "*.lease"))
        {
            if (own is not null && path == own.Path)
            {
                continue;
            }
            using var abandoned = ExclusiveFileLock.TryTake(path, FileMode.Open);
            if (abandoned is null)
            {
                alive += File.Exists(path) ? 1 : 0;
                continue;
            }
            File.Delete(path);
        }
        return alive;
    }

    public void Dispose()
    {
        // Deleted while still locked, so no other instance can count it as a dead one's in between.
        File.Delete(Path);
        _file.Dispose();
    }
}
