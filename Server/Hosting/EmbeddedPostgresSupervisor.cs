using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;

namespace BlazorJobs.Server.Hosting;

/// <summary>
/// Keeps the embedded PostgreSQL running: when its postmaster dies (<c>kill -9</c>, the OOM killer), the
/// first instance to notice starts it again on the same port and socket, and every instance clears its
/// pool of the connections that died with it.
/// </summary>
/// <remarks>
/// The signal is a watch connection that sends nothing: a backend exits as soon as its postmaster dies
/// ("terminating connection due to unexpected postmaster exit"), which breaks the connection's wait at
/// once, with no polling of the database. Instances sharing the cluster take turns on the
/// <see cref="ClusterControlLock"/>, so one starts it and the others find it back.
/// </remarks>
public sealed partial class EmbeddedPostgresSupervisor(
    EmbeddedPostgres embedded,
    NpgsqlDataSource dataSource,
    ILogger<EmbeddedPostgres> embeddedLogger,
    ILogger<EmbeddedPostgresSupervisor> logger) : BackgroundService
{
    /// <summary>How long a quiet watch connection waits before it checks itself with a round trip.</summary>
    private static readonly TimeSpan WatchRoundTrip = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        embedded.UseLogger(embeddedLogger);
        Stopwatch? down = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var watch = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(embedded.ConnectionString)
                {
                    Pooling = false,
                    ApplicationName = "blazorjobs-supervisor",
                    Timeout = 5,
                }.ConnectionString);
                await watch.OpenAsync(stoppingToken);
                if (down is not null)
                {
                    // Pooled connections opened before the crash are dead; without this each fails one request.
                    dataSource.Clear();
                    LogRecovered(logger, embedded.DataDirectory, down.Elapsed.TotalSeconds);
                    down = null;
                }
                while (true)
                {
                    if (!await watch.WaitAsync(WatchRoundTrip, stoppingToken))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", watch);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or IOException or TimeoutException or InvalidOperationException)
            {
                down ??= Stopwatch.StartNew();
                LogConnectionLost(logger, embedded.DataDirectory, ex.Message);
            }

            try
            {
                if (await embedded.RestartIfDownAsync(stoppingToken))
                {
                    LogRestarted(logger, embedded.DataDirectory, down.Elapsed.TotalSeconds);
                }
                else
                {
                    // Another instance restarted it, or it was only restarting: no new connection until
                    // it answers, and not in a tight loop while it cannot.
                    await Task.Delay(RetryDelay, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (EmbeddedPostgresException ex)
            {
                LogRestartFailed(logger, embedded.DataDirectory, ex.Message);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the embedded PostgreSQL of {DataDirectory}: {Reason}")]
    private static partial void LogConnectionLost(ILogger logger, string dataDirectory, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Started the embedded PostgreSQL of {DataDirectory} again, {Seconds:0.0} s after it was lost")]
    private static partial void LogRestarted(ILogger logger, string dataDirectory, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "The embedded PostgreSQL of {DataDirectory} answers again, {Seconds:0.0} s after it was lost; pooled connections cleared")]
    private static partial void LogRecovered(ILogger logger, string dataDirectory, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not start the embedded PostgreSQL of {DataDirectory} again; still trying: {Reason}")]
    private static partial void LogRestartFailed(ILogger logger, string dataDirectory, string reason);
}
