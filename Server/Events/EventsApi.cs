using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Chat;
using BlazorJobs.Server.Delivery;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Streaming;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace BlazorJobs.Server.Events;

/// <summary>
/// <c>GET /api/events</c> (api.md, "One events stream per caller"): what every tab of a browser needs to hear,
/// on one connection, which the browser's tabs share (sse-client.md, "Shared streams").
/// </summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events", StreamAsync).WithTags("Events").RequireRateLimiting(RateLimitPolicies.OpenStreams);
        return app;
    }

    /// <summary>
    /// The caller is the learner (bearer token, or the sign-in cookie: a browser's tabs share it, which is what
    /// lets them share one stream), else the visitor by cookie, issued on first contact. A bearer token that
    /// does not authenticate is <c>401</c>, never a silent fall-back to the visitor.
    /// </summary>
    private static async Task<Results<EmptyHttpResult, UnauthorizedHttpResult, BadRequestProblem, RetryLaterProblem>> StreamAsync(
        HttpContext context, DeliveryKillSwitch killSwitch, SignOutStreamWatch signOuts, SseCallerStream stream)
    {
        var signedIn = context.User.Identity?.IsAuthenticated == true;
        if (!signedIn && context.Request.Headers.ContainsKey(HeaderNames.Authorization))
        {
            return TypedResults.Unauthorized();
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

        if (!signedIn)
        {
            await stream.RunAsync(context, Caller.Visitor(VisitorCookie.GetOrIssue(context)), "visitor", lastEventId, credentialsExpireAt: null, killSwitch.Engaged);
            return TypedResults.Empty;
        }
        // A bearer token expires mid-stream (reauthenticate); the sign-in cookie renews itself on the reconnect.
        var bearerExpiresAt = context.Request.Headers.ContainsKey(HeaderNames.Authorization)
            ? (await context.AuthenticateAsync(Microsoft.AspNetCore.Identity.IdentityConstants.BearerScheme)).Properties?.ExpiresUtc
            : null;
        using var endsOnSignOut = signOuts.EndRequestOnSignOut(context);
        await stream.RunAsync(context, Caller.Learner(context.User), "learner", lastEventId, bearerExpiresAt, killSwitch.Engaged);
        return TypedResults.Empty;
    }
}
