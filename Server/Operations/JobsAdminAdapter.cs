using BlazorJobs.App.Services;

namespace BlazorJobs.Server.Operations;

/// <summary>The dashboard page's <see cref="IJobsAdmin"/>, over the same actions as the admin API (audited the same way).</summary>
public sealed class JobsAdminAdapter(AdminJobActions actions) : IJobsAdmin
{
    public Task<JobActionResult> RetryAsync(Guid jobId, string admin, CancellationToken cancellationToken = default) =>
        actions.RetryAsync(jobId, admin, cancellationToken);

    public Task<JobActionResult> CancelAsync(Guid jobId, string admin, CancellationToken cancellationToken = default) =>
        actions.CancelAsync(jobId, admin, cancellationToken);
}
