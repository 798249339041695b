using System.Text.Json;
using BlazorJobs.App.Services;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Jobs;
using BlazorJobs.Server.Streaming;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Server.Operations;

/// <summary>
/// Writes this instance's state to its <c>instance_heartbeats</c> row every <c>Operations:HeartbeatSeconds</c>:
/// what only this process knows (its listener, worker, open streams, jobs it finished, the embedded
/// database it runs), where the dashboard of any instance reads it. Rows of instances gone for
/// <c>Operations:ForgetAfterMinutes</c> are deleted by the same statement; its own row goes at a clean stop.
/// </summary>
public sealed partial class InstanceHeartbeatWriter(
    NpgsqlDataSource dataSource,
    InstanceIdentity instance,
    InstanceCounters counters,
    EventHub hub,
    ListenerLagProbe lagProbe,
    JobWorker worker,
    IOptions<WorkerOptions> workerOptions,
    IOptions<OperationsOptions> options,
    IServiceProvider services,
    ILogger<InstanceHeartbeatWriter> logger) : BackgroundService
{
    private const string UpsertSql =
        """
        WITH forget AS (DELETE FROM instance_heartbeats WHERE last_seen_at < now() - make_interval(secs => @forget) AND id <> @id)
        INSERT INTO instance_heartbeats (id, started_at, last_seen_at, state) VALUES (@id, @started, now(), @state::jsonb)
        ON CONFLICT (id) DO UPDATE SET last_seen_at = now(), state = excluded.state
        """;

    /// <summary>The last probe's round trip (milliseconds), measured just before each write.</summary>
    private double? _listenerLagMs;

    /// <summary>What this instance would write now.</summary>
    public InstanceState Describe() => new(
        new ListenerState(hub.IsListening, hub.Reconnects, counters.NotificationsReceived, counters.LastNotificationAt, _listenerLagMs),
        worker.IsRunning,
        workerOptions.Value.Enabled ? workerOptions.Value.Concurrency : 0,
        counters.OpenStreamsByKind,
        counters.JobsFinishedByStatus,
        services.GetService<EmbeddedPostgres>() is { } embedded
            ? new EmbeddedDatabaseState(embedded.Port, embedded.DataDirectory, embedded.JoinedRunningCluster)
            : null);

    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(UpsertSql);
        command.Parameters.AddWithValue("id", instance.Id);
        command.Parameters.AddWithValue("started", instance.StartedAt);
        command.Parameters.AddWithValue("state", JsonSerializer.Serialize(Describe(), JsonDefaults.Options));
        command.Parameters.AddWithValue("forget", options.Value.ForgetAfterMinutes * 60);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogInstance(instance.Id);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds));
        do
        {
            try
            {
                _listenerLagMs = await lagProbe.MeasureAsync(stoppingToken);
                await WriteAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // The row goes stale on the dashboard, which is the truth; the next tick tries again.
                LogWriteFailed(ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // A clean stop leaves no stale row behind; a crash leaves one that greys out, then is forgotten.
            await using var command = dataSource.CreateCommand("DELETE FROM instance_heartbeats WHERE id = @id");
            command.Parameters.AddWithValue("id", instance.Id);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            LogWriteFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This instance is {InstanceId} (jobs.claimed_by, instance_heartbeats)")]
    private partial void LogInstance(string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write this instance's heartbeat row")]
    private partial void LogWriteFailed(Exception ex);
}
