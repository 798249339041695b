using System.Security.Claims;
using BlazorJobs.Server.Data.Entities;
using Microsoft.AspNetCore.Identity;

namespace BlazorJobs.Server.Accounts;

/// <summary>
/// Signing out, for the API and the sign-out form alike: the cookie session ends, and a new security
/// stamp invalidates every access and refresh token the user holds (they carry the old one).
/// </summary>
public sealed class SignOutEverywhere(UserManager<AppUser> users, SignInManager<AppUser> signIn, SecurityStampCheck stamps)
{
    public async Task SignOutAsync(ClaimsPrincipal principal)
    {
        if (await users.GetUserAsync(principal) is { } user)
        {
            var oldStamp = user.SecurityStamp;
            await users.UpdateSecurityStampAsync(user);
            stamps.Revoked(user.Id, oldStamp);
        }
        await signIn.SignOutAsync();
    }
}
