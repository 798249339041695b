using System.Security.Claims;

namespace BlazorJobs.Server.Accounts;

/// <summary>
/// Who is calling a chatbot endpoint: the owner key that their jobs and sessions carry, and the id the
/// rollout buckets them by (the learner's user id, or the visitor cookie's id — never empty, or every
/// anonymous visitor would share one bucket).
/// </summary>
public sealed record Caller(string OwnerKey, string TargetingId)
{
    public static Caller Learner(ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("An authenticated learner has no user id claim.");
        return new Caller($"user:{id}", id);
    }

    public static Caller Visitor(Guid visitorId) => new($"visitor:{visitorId:N}", visitorId.ToString("N"));
}
