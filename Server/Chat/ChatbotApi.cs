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
        var tutor = MapChatbot(app, Chatbot.Tutor, RateLimitPolicies.TutorEnqueue)
            .RequireAuthorization(AuthPolicies.BearerOnly)
            .WithTags("Course tutor");
        tutor.MapGet("/sessions/{sessionId}/stream", SessionEndpoints.StreamAsync).RequireRateLimiting(RateLimitPolicies.OpenStreams);

        // The landing enqueue's per-visitor and per-IP limits are the global limiter's (see RateLimiting).
        MapChatbot(app, Chatbot.Landing, enqueuePolicy: null).WithTags("Landing guide");
        return app;
    }

    private static RouteGroupBuilder MapChatbot(IEndpointRouteBuilder app, Chatbot bot, string? enqueuePolicy)
    {
        // Handlers take the chatbot as a parameter (Chatbot.BindAsync reads it from here).
        var group = app.MapGroup(bot.BasePath).WithMetadata(bot).AddEndpointFilter<OwnedIdFilter>();
        var enqueue = group.MapPost("/query", EnqueueEndpoint.HandleAsync);
        // A retry runs the tutor again, like a new question: it spends the same budget, so a cancel → retry
        // loop cannot run the tutor more often than asking would.
        var retry = group.MapPost("/job/{jobId}/retry", JobEndpoints.RetryAsync);
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
        group.MapGet("/job/{jobId}", JobEndpoints.PollAsync);
        group.MapGet("/stream/{jobId}", JobEndpoints.StreamAsync).RequireRateLimiting(RateLimitPolicies.OpenStreams);
        group.MapPost("/job/{jobId}/cancel", JobEndpoints.CancelAsync).RequireRateLimiting(RateLimitPolicies.JobCancel);
        group.MapGet("/sessions", SessionEndpoints.ListAsync);
        group.MapGet("/sessions/{sessionId}", SessionEndpoints.HistoryAsync);
        group.MapDelete("/sessions/{sessionId}", SessionEndpoints.DeleteAsync);
        return group;
    }
}
