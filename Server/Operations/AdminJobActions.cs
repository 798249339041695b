using BlazorJobs.App.Services;
using BlazorJobs.Server.Jobs;

namespace BlazorJobs.Server.Operations;

/// <summary>
/// The dashboard's and the admin API's retry and cancel: the change itself is <see cref="AdminJobChanges"/>
/// (one audited statement); here it is logged with the admin's name and every viewer's snapshot is
/// refreshed at once.
/// </summary>
public sealed partial class AdminJobActions(AdminJobChanges changes, JobsSnapshotFeed feed, ILogger<AdminJobActions> logger)
{
    public async Task<JobActionResult> RetryAsync(Guid jobId, string admin, CancellationToken cancellationToken) =>
        Reported(await changes.RetryAsync(jobId, admin, cancellationToken), "retry", jobId, admin);

    public async Task<JobActionResult> CancelAsync(Guid jobId, string admin, CancellationToken cancellationToken) =>
        Reported(await changes.CancelAsync(jobId, admin, cancellationToken), "cancel", jobId, admin);

    private JobActionResult Reported(AdminJobChangeOutcome outcome, string action, Guid jobId, string admin)
    {
        if (outcome == AdminJobChangeOutcome.Done)
        {
            LogChanged(admin, action, jobId);
            feed.Invalidate();
        }
        return outcome switch
        {
            AdminJobChangeOutcome.Done => JobActionResult.Done,
            AdminJobChangeOutcome.NotFound => JobActionResult.NotFound,
            _ => JobActionResult.Conflict,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {Admin} did {Action} on job {JobId} (admin_audit)")]
    private partial void LogChanged(string admin, string action, Guid jobId);
}
