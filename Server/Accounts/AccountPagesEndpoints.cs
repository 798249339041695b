using BlazorJobs.Server.Data.Entities;
using BlazorJobs.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace BlazorJobs.Server.Accounts;

/// <summary>
/// The form posts behind the static sign-in and register pages (in App): plain HTML forms with an
/// antiforgery token, so signing in needs no SignalR circuit and no JavaScript.
/// </summary>
public static class AccountPagesEndpoints
{
    public static IEndpointRouteBuilder MapAccountPages(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/Account").ExcludeFromDescription();
        group.MapPost("/Login", LoginAsync).RequireRateLimiting(RateLimitPolicies.SignIn);
        group.MapPost("/Register", RegisterAsync).RequireRateLimiting(RateLimitPolicies.Register);
        group.MapPost("/Logout", LogoutAsync);
        return app;
    }

    private static async Task<RedirectHttpResult> LoginAsync([FromForm] string email, [FromForm] string password, [FromForm] string? returnUrl, SignInManager<AppUser> signIn)
    {
        // No lock-out (see CredentialEndpoints): the per-IP sign-in limit holds a guesser.
        var result = await signIn.PasswordSignInAsync(email ?? "", password ?? "", isPersistent: true, lockoutOnFailure: false);
        if (!result.Succeeded)
        {
            return TypedResults.LocalRedirect($"/Account/Login?error=invalid&email={Uri.EscapeDataString(email ?? "")}&returnUrl={Uri.EscapeDataString(SafeReturnUrl(returnUrl))}");
        }
        return TypedResults.LocalRedirect(SafeReturnUrl(returnUrl));
    }

    private static async Task<RedirectHttpResult> RegisterAsync([FromForm] string email, [FromForm] string password, UserManager<AppUser> users, SignInManager<AppUser> signIn)
    {
        var user = new AppUser { UserName = email, Email = email };
        var created = await users.CreateAsync(user, password ?? "");
        if (!created.Succeeded)
        {
            var errors = string.Join(" ", created.Errors.Select(e => e.Description));
            return TypedResults.LocalRedirect($"/Account/Register?error={Uri.EscapeDataString(errors)}&email={Uri.EscapeDataString(email ?? "")}");
        }
        await users.AddToRoleAsync(user, AuthPolicies.LearnerRole);
        await signIn.SignInAsync(user, isPersistent: true);
        return TypedResults.LocalRedirect("/courses");
    }

    private static async Task<RedirectHttpResult> LogoutAsync(HttpContext context, SignOutEverywhere signOut)
    {
        await signOut.SignOutAsync(context.User);
        return TypedResults.LocalRedirect("/");
    }

    private static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\") ? returnUrl : "/courses";
}
