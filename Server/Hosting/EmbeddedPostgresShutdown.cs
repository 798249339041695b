namespace BlazorJobs.Server.Hosting;

/// <summary>
/// Leaves (and, last out, stops) the embedded cluster once every other hosted service has stopped: the worker
/// has finished or released its jobs and the listener is closed, so nothing still needs the database.
/// Awaited by the host's own stop, rather than blocking a thread on it from an <c>ApplicationStopped</c> callback.
/// </summary>
public sealed class EmbeddedPostgresShutdown(EmbeddedPostgres embedded) : IHostedLifecycleService
{
    public Task StoppedAsync(CancellationToken cancellationToken) => embedded.StopAsync();

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
