namespace BlazorJobs.Server.Hosting;

/// <summary>
/// An exclusive lock on a file that lasts as long as its handle is open. On Linux and macOS .NET takes it
/// with <c>flock(LOCK_EX | LOCK_NB)</c> for <see cref="FileShare.None"/>, so the kernel drops it when the
/// process ends however it ends (<c>kill -9</c> included): a lock nobody holds proves its owner is gone,
/// which a pid in a file cannot (pids are reused). It holds between handles of one process too.
/// </summary>
internal static class ExclusiveFileLock
{
    /// <summary>The open, locked file; null when another handle holds it (or the file is gone, for <see cref="FileMode.Open"/>).</summary>
    public static FileStream? TryTake(string path, FileMode mode)
    {
        try
        {
            return new FileStream(path, mode, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException)
        {
            // Held by another handle (EWOULDBLOCK). Any other I/O error is treated the same way, which
            // errs on the side of believing an owner alive: its cluster is then never stopped.
            return null;
        }
    }
}
