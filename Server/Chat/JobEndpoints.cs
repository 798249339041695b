using System.Text.Json;
using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Delivery;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Jobs;
using BlazorJobs.Server.Streaming;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace BlazorJobs.Server.Chat;

/// <summary>Poll, stream, cancel and retry one job.</summary>
public static class JobEndpoints
{
    public sealed record PollResponse(
        Guid JobId, string Status, int Attempt, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, JsonElement? Result, string? ErrorMessage);

    public sealed record JobStatusResponse(Guid JobId, string Status);

    /// <summary><c>GET …/job/{id}</c>, with an ETag: a poll that changes nothing costs a <c>304</c> and no body.</summary>
    public static async Task<IResult> PollAsync(Chatbot bot, HttpContext context, string jobId, CancellationToken cancellationToken)
    {
        var metrics = context.RequestServices.GetRequiredService<StreamMetrics>();
        var (job, error) = await FindAsync(bot, context, jobId, cancellationToken);
        if (job is null)
        {
            metrics.PollServed(bot.Kind, StatusCodes.Status404NotFound);
            return error!;
        }

        var tracker = context.RequestServices.GetRequiredService<DeliveryTracker>();
        tracker.CameFor(job.Id, job.DeliveryMode);
        context.Response.Headers.ETag = job.ETag;
        context.Response.Headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(tag => tag.Trim() == job.ETag || tag.Trim() == "*")))
        {
            metrics.PollServed(bot.Kind, StatusCodes.Status304NotModified);
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        metrics.PollServed(bot.Kind, StatusCodes.Status200OK);
        if (JobStatus.IsTerminal(job.Status))
        {
            tracker.Delivered(job.Id); // the first time counts; later polls change nothing
        }
        var result = job.Result is null ? (JsonElement?)null : JsonDocument.Parse(job.Result).RootElement.Clone();
        return TypedResults.Ok(new PollResponse(job.Id, job.Status, job.Attempt, job.CreatedAt, job.CompletedAt, result, job.ErrorMessage));
    }

    /// <summary><c>GET …/stream/{id}</c>: SSE, resumable with <c>Last-Event-ID</c>.</summary>
    public static async Task<IResult> StreamAsync(Chatbot bot, HttpContext context, string jobId)
    {
        var services = context.RequestServices;
        var (job, error) = await FindAsync(bot, context, jobId, context.RequestAborted);
        if (job is null)
        {
            return error!;
        }

        var lastEventId = LastEventId.Read(context.Request, out var lastEventIdError);
        if (lastEventIdError is not null)
        {
            return lastEventIdError;
        }
        // WHATWG clients reconnect until told otherwise; 204 is how a finished job's stream says "nothing more".
        if (JobStatus.IsTerminal(job.Status) && lastEventId >= job.LastEventSeq)
        {
            return TypedResults.NoContent();
        }
        if (lastEventId > job.LastEventSeq)
        {
            // No stream of this job ever sent that id: resuming from it would skip or repeat events.
            return ApiProblems.BadRequest("'Last-Event-ID' is past this job's last event.", "invalid-last-event-id");
        }

        services.GetRequiredService<DeliveryTracker>().CameFor(job.Id, job.DeliveryMode);
        var killSwitch = services.GetRequiredService<DeliveryKillSwitch>();
        if (killSwitch.IsOn)
        {
            return ApiProblems.DeliveryDisabled();
        }

        DateTimeOffset? expiresAt = null;
        using var endsOnSignOut = bot.UsesBearerToken ? services.GetRequiredService<SecurityStampCheck>().EndRequestOnSignOut(context) : null;
        if (bot.UsesBearerToken)
        {
            var auth = await context.AuthenticateAsync(IdentityConstants.BearerScheme);
            expiresAt = auth.Properties?.ExpiresUtc;
        }

        await services.GetRequiredService<SseJobStream>().RunAsync(context, job.Id, (int)(lastEventId ?? 0), expiresAt, killSwitch.Engaged);
        return Results.Empty;
    }

    /// <summary><c>POST …/job/{id}/cancel</c>: the user's Stop.</summary>
    public static async Task<IResult> CancelAsync(Chatbot bot, HttpContext context, string jobId, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(jobId, out var id))
        {
            return ApiProblems.InvalidId("jobId");
        }
        if (bot.CallerOf(context) is not { } caller)
        {
            return ApiProblems.NotFound("job");
        }
        var change = await context.RequestServices.GetRequiredService<JobQueue>().CancelAsync(id, bot.Kind, caller.OwnerKey, cancellationToken);
        return change switch
        {
            JobChangeStatus.NotFound => ApiProblems.NotFound("job"),
            JobChangeStatus.Conflict => ApiProblems.Conflict("The job has already finished; there is nothing to stop."),
            _ => TypedResults.Accepted(bot.PollUrl(id), new JobStatusResponse(id, JobStatus.Cancelled)),
        };
    }

    /// <summary><c>POST …/job/{id}/retry</c>: a failed or cancelled job runs again as the same job.</summary>
    public static async Task<IResult> RetryAsync(Chatbot bot, HttpContext context, string jobId, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(jobId, out var id))
        {
            return ApiProblems.InvalidId("jobId");
        }
        if (bot.CallerOf(context) is not { } caller)
        {
            return ApiProblems.NotFound("job");
        }
        var services = context.RequestServices;
        var change = await services.GetRequiredService<JobQueue>().RetryAsync(id, bot.Kind, caller.OwnerKey, cancellationToken);
        if (change == JobChangeStatus.NotFound)
        {
            return ApiProblems.NotFound("job");
        }
        if (change == JobChangeStatus.Conflict)
        {
            return ApiProblems.Conflict("Only a failed or cancelled job can be retried.");
        }

        // The job keeps the mode it was enqueued with: choosing again could move a caller between
        // rollout cohorts mid-conversation, and the stored mode is what the reports count against.
        var job = (await services.GetRequiredService<JobReader>().FindOwnedAsync(id, bot.Kind, caller.OwnerKey, cancellationToken))!;
        return TypedResults.Accepted(bot.PollUrl(id), new EnqueueEndpoint.Accepted(id, job.SessionId, job.DeliveryMode, bot.StreamUrl(id), bot.PollUrl(id)));
    }

    private static async Task<(JobSnapshot? Job, IResult? Error)> FindAsync(Chatbot bot, HttpContext context, string jobId, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(jobId, out var id))
        {
            return (null, ApiProblems.InvalidId("jobId"));
        }
        if (bot.CallerOf(context) is not { } caller)
        {
            return (null, ApiProblems.NotFound("job"));
        }
        var job = await context.RequestServices.GetRequiredService<JobReader>().FindOwnedAsync(id, bot.Kind, caller.OwnerKey, cancellationToken);
        return job is null ? (null, ApiProblems.NotFound("job")) : (job, null);
    }
}
