namespace BlazorJobs.Server.Accounts;

/// <summary>
/// The anonymous visitor's identity: a random id in an HttpOnly, SameSite=Lax cookie (<c>bj_visitor</c>),
/// set on first contact. It binds the visitor's jobs and sessions, and is their rollout targeting id.
/// </summary>
public static class VisitorCookie
{
    public const string Name = "bj_visitor";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    /// <summary>Where an id issued during this request is kept, so every later step of the request sees the same visitor.</summary>
    private static readonly object IssuedKey = new();

    /// <summary>The visitor's id from the cookie (or issued earlier in this request), or null when there is none.</summary>
    public static Guid? Read(HttpContext context)
    {
        if (context.Items.TryGetValue(IssuedKey, out var issued))
        {
            return (Guid)issued!;
        }
        return context.Request.Cookies.TryGetValue(Name, out var value) && Guid.TryParseExact(value, "N", out var id) ? id : null;
    }

    /// <summary>The visitor's id, issuing a new cookie when the request has none.</summary>
    public static Guid GetOrIssue(HttpContext context)
    {
        if (Read(context) is { } existing)
        {
            return existing;
        }
        // A random (v4) id: it is the visitor's only credential, so it must not be guessable.
        var id = Guid.NewGuid();
        context.Response.Cookies.Append(Name, id.ToString("N"), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            IsEssential = true,
            MaxAge = Lifetime,
            Path = "/",
        });
        context.Items[IssuedKey] = id;
        return id;
    }
}
