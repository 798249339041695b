namespace BlazorJobs.Server.Hosting;

/// <summary>
/// This process's id among the instances sharing the database: machine, process id and a random
/// suffix (a container restarted on the same host can get the same pid). Stamped on the jobs it claims
/// (<c>jobs.claimed_by</c>), on its <c>instance_heartbeats</c> row, in <c>/health</c> and in the start-up log.
/// </summary>
public sealed class InstanceIdentity
{
    /// <summary>The response header of <c>/health</c> that names the instance.</summary>
    public const string Header = "X-Instance-Id";

    public InstanceIdentity(TimeProvider time)
    {
        Id = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";
        StartedAt = time.GetUtcNow();
    }

    public string Id { get; }

    public DateTimeOffset StartedAt { get; }
}
