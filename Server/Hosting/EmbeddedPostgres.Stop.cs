using Npgsql;

namespace BlazorJobs.Server.Hosting;

/// <summary>Leaving the cluster: the last instance out stops it.</summary>
public sealed partial class EmbeddedPostgres
{
    /// <summary>Leaves the cluster; the last instance out stops it (fast shutdown: sessions are disconnected, data is flushed).</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        try
        {
            using var control = await ClusterControlLock.AcquireAsync(DataDirectory, ControlLockTimeout, CancellationToken.None);
            await LeaveClusterAsync();
        }
        catch (EmbeddedPostgresException ex)
        {
            // Without the lock nothing may be stopped; the lease ends with this process anyway, and the
            // next start recovers a cluster nobody holds.
            LogLeftWithoutLock(_logger, ex.Message);
            _lease?.Dispose();
        }
    }

    /// <summary>Called under the control lock.</summary>
    private async Task LeaveClusterAsync()
    {
        _lease?.Dispose();
        _lease = null;
        var others = InstanceLease.CountOthersAlive(DataDirectory, own: null);
        if (others > 0)
        {
            LogLeftRunning(_logger, DataDirectory, others);
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await _tools.RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"], CancellationToken.None, throwOnError: false);
        DeleteSocketDirectory(_socketDirectory);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static void DeleteSocketDirectory(string socketDirectory)
    {
        // Only the private folders this class creates under the temp folder.
        if (!Path.GetFileName(Path.TrimEndingDirectorySeparator(socketDirectory)).StartsWith("bj-pg-", StringComparison.Ordinal))
        {
            return;
        }
        try
        {
            Directory.Delete(socketDirectory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The folder is private and under the temp folder; a leftover is harmless.
        }
    }
}
