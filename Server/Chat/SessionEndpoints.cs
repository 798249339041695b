using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Delivery;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Streaming;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace BlazorJobs.Server.Chat;

/// <summary>
/// A caller's chat sessions: list, history, delete, and (tutor) the live session stream;
/// <see cref="OwnedIdFilter"/> has already refused a session id the caller cannot own.
/// </summary>
public static class SessionEndpoints
{
    public sealed record SessionList(IReadOnlyList<SessionSummary> Sessions);

    public static async Task<Results<Ok<SessionList>, BadRequestProblem>> ListAsync(
        Chatbot bot, HttpContext context, string? courseId, ChatHistory history, CancellationToken cancellationToken)
    {
        Guid? course = null;
        if (!string.IsNullOrEmpty(courseId))
        {
            if (!Guid.TryParse(courseId, out var parsed))
            {
                return ApiProblems.InvalidId("courseId");
            }
            course = parsed;
        }
        if (bot.CallerOf(context) is not { } caller)
        {
            return TypedResults.Ok(new SessionList([]));
        }
        var sessions = await history.ListAsync(bot, caller.OwnerKey, course, cancellationToken);
        return TypedResults.Ok(new SessionList(sessions));
    }

    public static async Task<Results<Ok<SessionHistory>, NotFoundProblem>> HistoryAsync(
        Chatbot bot, OwnedId session, ChatHistory history, CancellationToken cancellationToken) =>
        await history.GetAsync(bot, session.Id, session.Caller.OwnerKey, cancellationToken) is { } found
            ? TypedResults.Ok(found)
            : ApiProblems.NotFound("session");

    public static async Task<Results<NoContent, NotFoundProblem>> DeleteAsync(
        Chatbot bot, OwnedId session, ChatHistory history, CancellationToken cancellationToken) =>
        await history.DeleteAsync(bot, session.Id, session.Caller.OwnerKey, cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound("session");

    /// <summary><c>GET /api/assistant/sessions/{id}/stream</c>: every job of the session, live; the stream itself is the <c>200</c>.</summary>
    public static async Task<Results<EmptyHttpResult, BadRequestProblem, NotFoundProblem, RetryLaterProblem>> StreamAsync(
        Chatbot bot, OwnedId session, HttpContext context, ChatHistory history, DeliveryKillSwitch killSwitch, SignOutStreamWatch signOuts,
        SseSessionStream stream, CancellationToken cancellationToken)
    {
        if (!await history.ExistsAsync(bot, session.Id, session.Caller.OwnerKey, cancellationToken))
        {
            return ApiProblems.NotFound("session");
        }
        var lastEventId = LastEventId.Read(context.Request, out var error);
        if (error is not null)
        {
            return error;
        }
        if (killSwitch.IsOn)
        {
            return ApiProblems.DeliveryDisabled();
        }

        var auth = await context.AuthenticateAsync(IdentityConstants.BearerScheme);
        using var endsOnSignOut = signOuts.EndRequestOnSignOut(context);
        await stream.RunAsync(context, session.Id, lastEventId, auth.Properties?.ExpiresUtc, killSwitch.Engaged);
        return TypedResults.Empty;
    }
}
