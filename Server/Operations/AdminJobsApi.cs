using System.Security.Claims;
using System.Text.Json;
using BlazorJobs.App.Services;
using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Streaming;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorJobs.Server.Operations;

/// <summary><c>/api/admin/jobs</c>: the operations dashboard's snapshot, its live stream, and retry/cancel of any job (admins only).</summary>
public static class AdminJobsApi
{
    public const string StreamEndpoint = "admin-jobs";

    public sealed record ActionAccepted(Guid JobId, string Action);

    public static IEndpointRouteBuilder MapAdminJobsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/jobs").RequireAuthorization(AuthPolicies.Admin).WithTags("Operations");
        group.MapGet("/", (JobsSnapshotFeed feed, CancellationToken cancellationToken) => GetAsync(feed, cancellationToken));
        group.MapGet("/stream", StreamAsync).EndWhenServerStops();
        group.MapPost("/{id}/retry", (string id, HttpContext context, AdminJobActions actions, CancellationToken cancellationToken) =>
            ActAsync(id, "retry", context, actions.RetryAsync, "Only a failed or cancelled job can be retried.", cancellationToken));
        group.MapPost("/{id}/cancel", (string id, HttpContext context, AdminJobActions actions, CancellationToken cancellationToken) =>
            ActAsync(id, "cancel", context, actions.CancelAsync, "The job has already finished; there is nothing to cancel.", cancellationToken));
        return app;
    }

    private static async Task<Ok<JobsSnapshot>> GetAsync(JobsSnapshotFeed feed, CancellationToken cancellationToken) =>
        TypedResults.Ok(await feed.GetAsync(cancellationToken));

    private static async Task<Results<Ok<ActionAccepted>, BadRequestProblem, NotFoundProblem, ConflictProblem>> ActAsync(
        string id, string action, HttpContext context, Func<Guid, string, CancellationToken, Task<JobActionResult>> act,
        string conflict, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId))
        {
            return ApiProblems.InvalidId("id");
        }
        return await act(jobId, AdminName(context.User), cancellationToken) switch
        {
            JobActionResult.NotFound => ApiProblems.NotFound("job"),
            JobActionResult.Conflict => ApiProblems.Conflict(conflict),
            _ => TypedResults.Ok(new ActionAccepted(jobId, action)),
        };
    }

    public static string AdminName(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "admin";

    /// <summary>
    /// SSE for the dashboard: a <c>snapshot</c> as soon as one is read, then one per <c>Operations:SnapshotSeconds</c>
    /// (the shared one: see <see cref="JobsSnapshotFeed"/>), with heartbeats and the server's stop handled by the
    /// streams' common wait loop.
    /// </summary>
    private static async Task StreamAsync(
        HttpContext context, JobsSnapshotFeed feed, EventStreamLoop loop, StreamMetrics metrics, Microsoft.Extensions.Options.IOptions<StreamOptions> streamOptions)
    {
        var aborted = context.RequestAborted;
        using var viewer = feed.Watch();
        var writer = await SseResponseWriter.StartAsync(context, streamOptions.Value, metrics, StreamEndpoint);
        metrics.StreamOpened(StreamEndpoint);
        try
        {
            await loop.RunAsync(
                viewer.Reader,
                writer,
                new StreamLimits(TimeoutAt: null, CredentialsExpireAt: null, DeliveryDisabled: CancellationToken.None),
                async (snapshot, cancellationToken) =>
                {
                    await writer.WriteEventAsync("snapshot", JsonSerializer.Serialize(snapshot, JsonDefaults.Options), id: null, cancellationToken);
                    return false;
                },
                aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
        finally
        {
            metrics.StreamClosed(StreamEndpoint);
        }
    }
}
