using BlazorJobs.App.Services;

namespace BlazorJobs.Server.Accounts;

/// <summary>Issues <see cref="VisitorCookie"/> with a page's response (see <see cref="IVisitorIdentity"/>).</summary>
public sealed class VisitorIdentity : IVisitorIdentity
{
    public void EnsureIssued(HttpContext page)
    {
        if (page.User.Identity?.IsAuthenticated != true && !page.Response.HasStarted)
        {
            VisitorCookie.GetOrIssue(page);
        }
    }
}
