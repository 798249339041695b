using BlazorJobs.Server.Data.Entities;
using BlazorJobs.Server.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace BlazorJobs.Server.Accounts;

/// <summary>
/// <c>/api/auth/*</c>: login, refresh and register (<see cref="CredentialEndpoints"/>), plus <c>token</c>
/// (cookie + antiforgery → bearer token, for the course player's JS) and <c>logout</c>.
/// </summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Accounts");
        group.AddEndpointFilter(ExplainValidationProblemsAsync);
        group.MapCredentialEndpoints();
        group.MapPost("/token", IssueTokenForCookieAsync)
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser());
        group.MapPost("/logout", LogoutAsync).RequireAuthorization();
        // Nothing else is offered here (not Identity's password reset, e-mail confirmation or /manage/*): 404 for
        // any method. Without this, a POST here would be 405 (Allow: GET, HEAD), as it is on any unmapped path today.
        group.Map("/{**rest}", () => TypedResults.NotFound()).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Identity's validation problems (a taken e-mail, a weak password) list their reasons under
    /// <c>errors</c> only; the contract's problems also say them in <c>detail</c>.
    /// </summary>
    private static async ValueTask<object?> ExplainValidationProblemsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if ((result is INestedHttpResult nested ? nested.Result : result) is ValidationProblem { ProblemDetails: { Detail: null } problem })
        {
            problem.Detail = string.Join(" ", problem.Errors.SelectMany(error => error.Value));
        }
        return result;
    }

    /// <summary>A page signed in with the cookie gets a bearer token for the same user without the password.</summary>
    private static async Task<Results<SignInHttpResult, UnauthorizedHttpResult, BadRequestProblem>> IssueTokenForCookieAsync(
        HttpContext context, IAntiforgery antiforgery, UserManager<AppUser> users, SignInManager<AppUser> signIn)
    {
        try
        {
            // The cookie rides along on any cross-site request; the antiforgery token proves it came from our page.
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return ApiProblems.Antiforgery();
        }

        var user = await users.GetUserAsync(context.User);
        if (user is null)
        {
            return TypedResults.Unauthorized();
        }
        var principal = await signIn.CreateUserPrincipalAsync(user);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    /// <summary>Ends the cookie session and invalidates the user's access and refresh tokens (they carry the security stamp).</summary>
    private static async Task<NoContent> LogoutAsync(HttpContext context, SignOutEverywhere signOut)
    {
        await signOut.SignOutAsync(context.User);
        return TypedResults.NoContent();
    }
}
