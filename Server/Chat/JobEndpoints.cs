using System.Text.Json;
using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Delivery;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Jobs;
using BlazorJobs.Server.Streaming;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace BlazorJobs.Server.Chat;

/// <summary>Poll, stream, cancel and retry one job; <see cref="OwnedIdFilter"/> has already refused an id the caller cannot own.</summary>
public static class JobEndpoints
{
    public sealed record PollResponse(
        Guid JobId, string Status, int Attempt, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, JsonElement? Result, string? ErrorMessage);

    public sealed record JobStatusResponse(Guid JobId, string Status);

    /// <summary><c>GET …/job/{id}</c>, with an ETag: a poll that changes nothing costs a <c>304</c> (a bare status) and no body.</summary>
    public static async Task<Results<Ok<PollResponse>, StatusCodeHttpResult, NotFoundProblem>> PollAsync(
        Chatbot bot, OwnedId job, HttpContext context, JobReader jobs, DeliveryTracker tracker, StreamMetrics metrics, CancellationToken cancellationToken)
    {
        var found = await jobs.FindOwnedAsync(job.Id, bot.Kind, job.Caller.OwnerKey, cancellationToken);
        if (found is null)
        {
            metrics.PollServed(bot.Kind, StatusCodes.Status404NotFound);
            return ApiProblems.NotFound("job");
        }

        tracker.CameFor(found.Id, found.DeliveryMode);
        context.Response.Headers.ETag = found.ETag;
        context.Response.Headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(tag => tag.Trim() == found.ETag || tag.Trim() == "*")))
        {
            metrics.PollServed(bot.Kind, StatusCodes.Status304NotModified);
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        metrics.PollServed(bot.Kind, StatusCodes.Status200OK);
        if (JobStatus.IsTerminal(found.Status))
        {
            tracker.Delivered(found.Id); // the first time counts; later polls change nothing
        }
        var result = found.Result is null ? (JsonElement?)null : JsonDocument.Parse(found.Result).RootElement.Clone();
        return TypedResults.Ok(new PollResponse(found.Id, found.Status, found.Attempt, found.CreatedAt, found.CompletedAt, result, found.ErrorMessage));
    }

    /// <summary><c>GET …/stream/{id}</c>: SSE, resumable with <c>Last-Event-ID</c>; the stream itself is the <c>200</c>.</summary>
    public static async Task<Results<EmptyHttpResult, NoContent, BadRequestProblem, NotFoundProblem, RetryLaterProblem>> StreamAsync(
        Chatbot bot, OwnedId job, HttpContext context, JobReader jobs, DeliveryTracker tracker, DeliveryKillSwitch killSwitch,
        SignOutStreamWatch signOuts, SseJobStream stream)
    {
        var found = await jobs.FindOwnedAsync(job.Id, bot.Kind, job.Caller.OwnerKey, context.RequestAborted);
        if (found is null)
        {
            return ApiProblems.NotFound("job");
        }

        var lastEventId = LastEventId.Read(context.Request, out var lastEventIdError);
        if (lastEventIdError is not null)
        {
            return lastEventIdError;
        }
        // WHATWG clients reconnect until told otherwise; 204 is how a finished job's stream says "nothing more".
        if (JobStatus.IsTerminal(found.Status) && lastEventId >= found.LastEventSeq)
        {
            return TypedResults.NoContent();
        }
        if (lastEventId > found.LastEventSeq)
        {
            // No stream of this job ever sent that id: resuming from it would skip or repeat events.
            return ApiProblems.BadRequest("'Last-Event-ID' is past this job's last event.", "invalid-last-event-id");
        }

        tracker.CameFor(found.Id, found.DeliveryMode);
        if (killSwitch.IsOn)
        {
            return ApiProblems.DeliveryDisabled();
        }

        DateTimeOffset? expiresAt = null;
        using var endsOnSignOut = bot.UsesBearerToken ? signOuts.EndRequestOnSignOut(context) : null;
        if (bot.UsesBearerToken)
        {
            var auth = await context.AuthenticateAsync(IdentityConstants.BearerScheme);
            expiresAt = auth.Properties?.ExpiresUtc;
        }

        await stream.RunAsync(context, found.Id, (int)(lastEventId ?? 0), expiresAt, killSwitch.Engaged);
        return TypedResults.Empty;
    }

    /// <summary><c>POST …/job/{id}/cancel</c>: the user's Stop.</summary>
    public static async Task<Results<Accepted<JobStatusResponse>, NotFoundProblem, ConflictProblem>> CancelAsync(
        Chatbot bot, OwnedId job, JobQueue queue, CancellationToken cancellationToken)
    {
        var id = job.Id;
        var change = await queue.CancelAsync(id, bot.Kind, job.Caller.OwnerKey, cancellationToken);
        return change switch
        {
            JobChangeStatus.NotFound => ApiProblems.NotFound("job"),
            JobChangeStatus.Conflict => ApiProblems.Conflict("The job has already finished; there is nothing to stop."),
            _ => TypedResults.Accepted(bot.PollUrl(id), new JobStatusResponse(id, JobStatus.Cancelled)),
        };
    }

    /// <summary><c>POST …/job/{id}/retry</c>: a failed or cancelled job runs again as the same job.</summary>
    public static async Task<Results<Accepted<EnqueueEndpoint.Accepted>, NotFoundProblem, ConflictProblem>> RetryAsync(
        Chatbot bot, OwnedId job, JobQueue queue, JobReader jobs, CancellationToken cancellationToken)
    {
        var (id, caller) = (job.Id, job.Caller);
        var change = await queue.RetryAsync(id, bot.Kind, caller.OwnerKey, cancellationToken);
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
        var retried = (await jobs.FindOwnedAsync(id, bot.Kind, caller.OwnerKey, cancellationToken))!;
        return TypedResults.Accepted(bot.PollUrl(id), new EnqueueEndpoint.Accepted(id, retried.SessionId, retried.DeliveryMode, bot.StreamUrl(id), bot.PollUrl(id)));
    }
}
