using BlazorJobs.App.Services;

namespace BlazorJobs.Server.Accounts;

/// <summary>
/// Issues <see cref="VisitorCookie"/> with a page's response (see <see cref="IVisitorIdentity"/>). A signed-in learner
/// gets one too: the landing guide and the delivery-mode lookup of a cookie-signed-in page know them as a visitor.
/// </summary>
public sealed class VisitorIdentity : IVisitorIdentity
{
    public void EnsureIssued(HttpContext page)
    {
        if (!page.Response.HasStarted)
        {
            VisitorCookie.GetOrIssue(page);
        }
    }
}
