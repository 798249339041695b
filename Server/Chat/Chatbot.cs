using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Tutor;

namespace BlazorJobs.Server.Chat;

/// <summary>
/// What differs between the two chatbots: where their endpoints live, which jobs they see, and how
/// the caller is identified (bearer token for the tutor, visitor cookie for the landing guide).
/// </summary>
public sealed record Chatbot(string Kind, string BasePath, bool UsesBearerToken)
{
    public static readonly Chatbot Tutor = new(ChatbotKind.Tutor, "/api/assistant", UsesBearerToken: true);
    public static readonly Chatbot Landing = new(ChatbotKind.Landing, "/api/landing-assistant", UsesBearerToken: false);

    /// <summary>The chatbot whose endpoint is running (each group carries its own as metadata).</summary>
    public static Chatbot Of(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<Chatbot>() ?? throw new InvalidOperationException("This endpoint is not a chatbot's.");

    /// <summary>Lets a handler take the chatbot as a parameter, like its services.</summary>
    public static ValueTask<Chatbot> BindAsync(HttpContext context) => ValueTask.FromResult(Of(context));

    public string StreamUrl(Guid jobId) => $"{BasePath}/stream/{jobId}";

    public string PollUrl(Guid jobId) => $"{BasePath}/job/{jobId}";

    /// <summary>
    /// The caller; for the guide, <paramref name="issueVisitor"/> issues a visitor cookie on first contact,
    /// otherwise a request without one is nobody (and owns nothing).
    /// </summary>
    public Caller? CallerOf(HttpContext context, bool issueVisitor = false)
    {
        if (UsesBearerToken)
        {
            // The tutor group's policy authenticates with the bearer scheme alone, so a cookie never gets here.
            return context.User.Identity?.IsAuthenticated == true ? Caller.Learner(context.User) : null;
        }
        var visitor = issueVisitor ? VisitorCookie.GetOrIssue(context) : VisitorCookie.Read(context);
        return visitor is { } id ? Caller.Visitor(id) : null;
    }
}
