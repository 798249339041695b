using System.Security.Claims;
using BlazorJobs.Server.Data.Entities;
using Microsoft.AspNetCore.Identity;

namespace BlazorJobs.Server.Accounts;

/// <summary>
/// Signing out, for the API and the sign-out form alike: the cookie session ends, and a new security
/// stamp invalidates every access and refresh token the user holds (they carry the old one), and
/// the user's open streams on this instance end at once (on other instances, within the check interval).
/// </summary>
public sealed class SignOutEverywhere(UserManager<AppUser> users, SignInManager<AppUser> signIn, SecurityStampCheck stamps, SignOutStreamWatch streams)
{
    public async Task SignOutAsync(ClaimsPrincipal principal)
    {
        if (await users.GetUserAsync(principal) is { } user)
        {
            var oldStamp = user.SecurityStamp;
            await users.UpdateSecurityStampAsync(user);
            stamps.Revoked(user.Id, oldStamp);
            streams.EndStreamsOf(principal);
        }
        await signIn.SignOutAsync();
    }
}
