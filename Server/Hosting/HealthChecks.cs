using BlazorJobs.Server.Jobs;
using BlazorJobs.Server.Streaming;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Server.Hosting;

/// <summary><c>/health</c> is ready: the database answers, the LISTEN connection is up, the worker runs (when enabled).</summary>
public sealed class ReadinessCheck(NpgsqlDataSource dataSource, EventHub hub, JobWorker worker, IOptions<WorkerOptions> workerOptions) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.");
        }
        if (!hub.IsListening)
        {
            return HealthCheckResult.Unhealthy("The LISTEN connection is down; streams wait for it to come back.");
        }
        if (workerOptions.Value.Enabled && !worker.IsRunning)
        {
            return HealthCheckResult.Unhealthy("The job worker is not running.");
        }
        return HealthCheckResult.Healthy(workerOptions.Value.Enabled ? "Database, listener and worker are up." : "Database and listener are up (worker disabled here).");
    }
}
