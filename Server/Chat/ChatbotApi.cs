using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Hosting;

namespace BlazorJobs.Server.Chat;

/// <summary>
/// The two chatbots' endpoints (api.md, "The two chatbots"): the same routes under
/// <c>/api/assistant</c> (learners, bearer token only) and <c>/api/landing-assistant</c> (visitors, cookie).
/// </summary>
public static class ChatbotApi
{
    public static IEndpointRouteBuilder MapChatbotApis(this IEndpointRouteBuilder app)
    {
        var tutor = app.MapGroup(Chatbot.Tutor.BasePath)
            .RequireAuthorization(AuthPolicies.BearerOnly)
            .WithTags("Course tutor");
        MapChatbot(tutor, Chatbot.Tutor, RateLimitPolicies.TutorEnqueue);
        tutor.MapGet("/sessions/{sessionId}/stream", (HttpContext context, string sessionId, CancellationToken ct) =>
                SessionEndpoints.StreamAsync(Chatbot.Tutor, context, sessionId, ct))
            .RequireRateLimiting(RateLimitPolicies.OpenStreams);

        var landing = app.MapGroup(Chatbot.Landing.BasePath).WithTags("Landing guide");
        // The landing enqueue's per-visitor and per-IP limits are the global limiter's (see RateLimiting).
        MapChatbot(landing, Chatbot.Landing, enqueuePolicy: null);
        return app;
    }

    private static void MapChatbot(RouteGroupBuilder group, Chatbot bot, string? enqueuePolicy)
    {
        var enqueue = group.MapPost("/query", (HttpContext context, CancellationToken ct) => EnqueueEndpoint.HandleAsync(bot, context, ct));
        // A retry runs the tutor again, like a new question: it spends the same budget, so a cancel → retry
        // loop cannot run the tutor more often than asking would.
        var retry = group.MapPost("/job/{jobId}/retry", (HttpContext context, string jobId, CancellationToken ct) => JobEndpoints.RetryAsync(bot, context, jobId, ct));
        foreach (var runsTheTutor in new[] { enqueue, retry })
        {
            if (enqueuePolicy is not null)
            {
                runsTheTutor.RequireRateLimiting(enqueuePolicy);
            }
            else
            {
                runsTheTutor.WithMetadata(new LandingEnqueueLimitMetadata());
            }
        }
        group.MapGet("/job/{jobId}", (HttpContext context, string jobId, CancellationToken ct) => JobEndpoints.PollAsync(bot, context, jobId, ct));
        group.MapGet("/stream/{jobId}", (HttpContext context, string jobId) => JobEndpoints.StreamAsync(bot, context, jobId))
            .RequireRateLimiting(RateLimitPolicies.OpenStreams);
        group.MapPost("/job/{jobId}/cancel", (HttpContext context, string jobId, CancellationToken ct) => JobEndpoints.CancelAsync(bot, context, jobId, ct))
            .RequireRateLimiting(RateLimitPolicies.JobCancel);
        group.MapGet("/sessions", (HttpContext context, string? courseId, CancellationToken ct) => SessionEndpoints.ListAsync(bot, context, courseId, ct));
        group.MapGet("/sessions/{sessionId}", (HttpContext context, string sessionId, CancellationToken ct) => SessionEndpoints.HistoryAsync(bot, context, sessionId, ct));
        group.MapDelete("/sessions/{sessionId}", (HttpContext context, string sessionId, CancellationToken ct) => SessionEndpoints.DeleteAsync(bot, context, sessionId, ct));
    }
}
