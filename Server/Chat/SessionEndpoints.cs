using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Delivery;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Streaming;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace BlazorJobs.Server.Chat;

/// <summary>A caller's chat sessions: list, history, delete, and (tutor) the live session stream.</summary>
public static class SessionEndpoints
{
    public sealed record SessionList(IReadOnlyList<SessionSummary> Sessions);

    public static async Task<IResult> ListAsync(Chatbot bot, HttpContext context, string? courseId, CancellationToken cancellationToken)
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
        var sessions = await context.RequestServices.GetRequiredService<ChatHistory>().ListAsync(bot, caller.OwnerKey, course, cancellationToken);
        return TypedResults.Ok(new SessionList(sessions));
    }

    public static async Task<IResult> HistoryAsync(Chatbot bot, HttpContext context, string sessionId, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(sessionId, out var id))
        {
            return ApiProblems.InvalidId("sessionId");
        }
        if (bot.CallerOf(context) is not { } caller)
        {
            return ApiProblems.NotFound("session");
        }
        var history = await context.RequestServices.GetRequiredService<ChatHistory>().GetAsync(bot, id, caller.OwnerKey, cancellationToken);
        return history is null ? ApiProblems.NotFound("session") : TypedResults.Ok(history);
    }

    public static async Task<IResult> DeleteAsync(Chatbot bot, HttpContext context, string sessionId, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(sessionId, out var id))
        {
            return ApiProblems.InvalidId("sessionId");
        }
        if (bot.CallerOf(context) is not { } caller)
        {
            return ApiProblems.NotFound("session");
        }
        var deleted = await context.RequestServices.GetRequiredService<ChatHistory>().DeleteAsync(bot, id, caller.OwnerKey, cancellationToken);
        return deleted ? TypedResults.NoContent() : ApiProblems.NotFound("session");
    }

    /// <summary><c>GET /api/assistant/sessions/{id}/stream</c>: every job of the session, live.</summary>
    public static async Task<IResult> StreamAsync(Chatbot bot, HttpContext context, string sessionId, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(sessionId, out var id))
        {
            return ApiProblems.InvalidId("sessionId");
        }
        var services = context.RequestServices;
        if (bot.CallerOf(context) is not { } caller || !await services.GetRequiredService<ChatHistory>().ExistsAsync(bot, id, caller.OwnerKey, cancellationToken))
        {
            return ApiProblems.NotFound("session");
        }
        var lastEventId = LastEventId.Read(context.Request, out var error);
        if (error is not null)
        {
            return error;
        }
        var killSwitch = services.GetRequiredService<DeliveryKillSwitch>();
        if (killSwitch.IsOn)
        {
            return ApiProblems.DeliveryDisabled();
        }

        var auth = await context.AuthenticateAsync(IdentityConstants.BearerScheme);
        using var endsOnSignOut = services.GetRequiredService<SecurityStampCheck>().EndRequestOnSignOut(context);
        await services.GetRequiredService<SseSessionStream>().RunAsync(context, id, lastEventId, auth.Properties?.ExpiresUtc, killSwitch.Engaged);
        return Results.Empty;
    }
}
