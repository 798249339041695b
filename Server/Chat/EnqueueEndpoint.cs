using BlazorJobs.Server.Catalog;
using BlazorJobs.Server.Delivery;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Chat;

/// <summary><c>POST …/query</c>: a question becomes a job; <c>202</c> says where to follow it and how (the caller's delivery mode).</summary>
public static class EnqueueEndpoint
{
    public sealed record Accepted(Guid JobId, Guid SessionId, string Delivery, string StreamUrl, string PollUrl);

    public static async Task<Results<Accepted<Accepted>, UnreadableBody, BadRequestProblem, NotFoundProblem, UnprocessableProblem>> HandleAsync(
        Chatbot bot, HttpContext context, CourseScopeValidator courseScopes, DeliveryModeSelector deliveryModes, JobQueue queue, DeliveryTracker tracker,
        IOptions<JobOptions> jobOptions, CancellationToken cancellationToken)
    {
        var (request, question, error) = await EnqueueRequestReader.ReadAsync(context.Request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        string? idempotencyKey = null;
        if (context.Request.Headers.TryGetValue("Idempotency-Key", out var keyHeader))
        {
            idempotencyKey = keyHeader.ToString();
            if (keyHeader.Count != 1 || !EnqueueRequestReader.IsValidIdempotencyKey(idempotencyKey))
            {
                return ApiProblems.BadRequest("'Idempotency-Key' must be 1 to 128 printable ASCII characters.", "invalid-idempotency-key");
            }
        }

        // The guide answers about every course; only the tutor is scoped to a course or lesson.
        var courseId = bot.UsesBearerToken ? request!.CourseId : null;
        var lessonId = bot.UsesBearerToken ? request!.LessonId : null;
        if (await courseScopes.ValidateAsync(courseId, lessonId, cancellationToken) is { } invalidScope)
        {
            return ApiProblems.BadRequest(invalidScope, "unknown-course");
        }

        var caller = bot.CallerOf(context, issueVisitor: true)!;
        var delivery = await deliveryModes.SelectWithReasonAsync(caller.TargetingId, cancellationToken);
        var outcome = await queue.EnqueueAsync(
            new EnqueueCommand(bot.Kind, caller.OwnerKey, question!, request!.SessionId, courseId, lessonId, delivery.Mode, idempotencyKey, delivery.Forced),
            cancellationToken);
        tracker.CountRequest(outcome.DeliveryMode is { Length: > 0 } mode ? mode : delivery.Mode);

        return outcome.Status switch
        {
            EnqueueStatus.SessionNotFound => ApiProblems.NotFound("session"),
            EnqueueStatus.IdempotencyKeyReused => ApiProblems.IdempotencyKeyReused(jobOptions.Value.IdempotencyWindow),
            _ => TypedResults.Accepted(bot.PollUrl(outcome.JobId),
                new Accepted(outcome.JobId, outcome.SessionId, outcome.DeliveryMode, bot.StreamUrl(outcome.JobId), bot.PollUrl(outcome.JobId))),
        };
    }
}
