using System.Security.Claims;
using BlazorJobs.Server.Data.Entities;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Accounts;

/// <summary>
/// Signing out changes the user's security stamp, and every bearer token carries the stamp it was
/// issued with. The bearer scheme alone never looks at it (a token would work until it expires), so
/// each bearer request checks it here: the answer is remembered per (user, stamp) for
/// <c>Auth:SecurityStampCheckSeconds</c>, so a busy learner costs one primary-key read per interval,
/// and a sign-out on any instance stops the tokens everywhere within that interval (at once on the
/// instance that signed out). Open signed-in streams are checked on the same interval by
/// <see cref="SignOutStreamWatch"/> and end.
/// </summary>
public sealed class SecurityStampCheck(
    IMemoryCache cache,
    IServiceScopeFactory scopes,
    IOptions<AuthOptions> options,
    IOptions<IdentityOptions> identity,
    TimeProvider time)
{
    private TimeSpan Interval => TimeSpan.FromSeconds(options.Value.SecurityStampCheckSeconds);

    /// <summary>The bearer scheme's <c>OnMessageReceived</c>: a token whose stamp is no longer the user's fails authentication (401).</summary>
    public async Task RejectSignedOutTokenAsync(MessageReceivedContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return; // the handler finds no token and says so itself
        }
        var ticket = context.Options.BearerTokenProtector.Unprotect(header["Bearer ".Length..].Trim());
        if (ticket?.Principal is not { } principal || ticket.Properties.ExpiresUtc is not { } expires || expires <= time.GetUtcNow())
        {
            return; // invalid or expired: the handler rejects it itself
        }
        if (!await IsCurrentAsync(principal, context.HttpContext.RequestAborted))
        {
            context.Fail("The user has signed out since this token was issued.");
        }
    }

    /// <summary>Whether the principal's security stamp is still its user's.</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (KeyOf(principal) is not { } key)
        {
            return false; // every token this app issues carries a stamp
        }
        return await cache.GetOrCreateAsync(CacheKey(key), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Interval;
            await using var scope = scopes.CreateAsyncScope();
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByIdAsync(key.UserId);
            return user?.SecurityStamp == key.Stamp;
        });
    }

    /// <summary>After a sign-out on this instance: tokens with the old stamp stop at once here.</summary>
    public void Revoked(Guid userId, string? oldStamp)
    {
        if (oldStamp is not null)
        {
            cache.Set(CacheKey((userId.ToString(), oldStamp)), false, TimeSpan.FromDays(1));
        }
    }

    /// <summary>What identifies the principal's sign-in for this check (user and stamp), or null without one.</summary>
    public string? StampKeyOf(ClaimsPrincipal principal) => KeyOf(principal) is { } key ? CacheKey(key) : null;

    private (string UserId, string Stamp)? KeyOf(ClaimsPrincipal principal) =>
        principal.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId && principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType) is { } stamp
            ? (userId, stamp)
            : null;

    private static string CacheKey((string UserId, string Stamp) key) => $"security-stamp:{key.UserId}:{key.Stamp}";
}
