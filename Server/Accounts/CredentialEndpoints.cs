using System.ComponentModel.DataAnnotations;
using BlazorJobs.Server.Data.Entities;
using BlazorJobs.Server.Hosting;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Accounts;

/// <summary>
/// <c>login</c>, <c>refresh</c> and <c>register</c> under <c>/api/auth</c>: what the contract offers of
/// Identity's API endpoints, and nothing more (<c>MapIdentityApi</c> would also map password reset,
/// e-mail confirmation and <c>/manage/*</c>, which need a mail sender this product does not have).
/// They answer as Identity's do, except that a failed login never locks the account: lock-out could be
/// aimed at anyone's account from anywhere, so guessing is held by the per-IP sign-in limit instead.
/// </summary>
public static class CredentialEndpoints
{
    private const string CredentialsShape = """{ "email": string, "password": string }""";
    private static readonly EmailAddressAttribute EmailFormat = new();

    public sealed record Credentials(string? Email, string? Password);

    public sealed record RefreshRequest(string? RefreshToken);

    public static void MapCredentialEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/login", LoginAsync).RequireRateLimiting(RateLimitPolicies.SignIn);
        group.MapPost("/register", RegisterAsync).RequireRateLimiting(RateLimitPolicies.Register);
        group.MapPost("/refresh", RefreshAsync);
    }

    /// <summary>The bearer scheme's sign-in writes <c>{ tokenType, accessToken, expiresIn, refreshToken }</c>.</summary>
    private static async Task<Results<EmptyHttpResult, UnreadableBody, BadRequestProblem, UnauthorizedProblem>> LoginAsync(
        HttpContext context, SignInManager<AppUser> signIn)
    {
        var (credentials, unreadable) = await JsonRequestBody.ReadAsync<Credentials>(context.Request, CredentialsShape, context.RequestAborted);
        if (unreadable is not null)
        {
            return unreadable;
        }
        if (Invalid(credentials) is { } invalid)
        {
            return invalid;
        }
        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(credentials!.Email!, credentials.Password!, isPersistent: false, lockoutOnFailure: false);
        return result.Succeeded ? TypedResults.Empty : ApiProblems.InvalidCredentials();
    }

    private static async Task<Results<Ok, UnreadableBody, BadRequestProblem, ValidationProblem>> RegisterAsync(HttpContext context, UserManager<AppUser> users)
    {
        var (credentials, unreadable) = await JsonRequestBody.ReadAsync<Credentials>(context.Request, CredentialsShape, context.RequestAborted);
        if (unreadable is not null)
        {
            return unreadable;
        }
        if (Invalid(credentials) is { } invalid)
        {
            return invalid;
        }
        var email = credentials!.Email!;
        if (!EmailFormat.IsValid(email))
        {
            return ValidationProblemOf(IdentityResult.Failed(users.ErrorDescriber.InvalidEmail(email)));
        }
        var created = await users.CreateAsync(new AppUser { UserName = email, Email = email }, credentials.Password!);
        return created.Succeeded ? TypedResults.Ok() : ValidationProblemOf(created);
    }

    /// <summary>A refresh token is honoured while it is unexpired and the user has not signed out since (it carries the security stamp).</summary>
    private static async Task<Results<SignInHttpResult, ChallengeHttpResult, UnreadableBody>> RefreshAsync(
        HttpContext context, SignInManager<AppUser> signIn, IOptionsMonitor<BearerTokenOptions> bearer, TimeProvider time)
    {
        var (request, unreadable) = await JsonRequestBody.ReadAsync<RefreshRequest>(context.Request, """{ "refreshToken": string }""", context.RequestAborted);
        if (unreadable is not null)
        {
            return unreadable;
        }
        var ticket = string.IsNullOrEmpty(request?.RefreshToken) ? null : bearer.Get(IdentityConstants.BearerScheme).RefreshTokenProtector.Unprotect(request.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || time.GetUtcNow() >= expires ||
            await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user)
        {
            return TypedResults.Challenge(authenticationSchemes: [IdentityConstants.BearerScheme]);
        }
        var principal = await signIn.CreateUserPrincipalAsync(user);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    /// <summary>What the body's fields must hold beyond its JSON shape; <c>null</c> when they are usable.</summary>
    private static BadRequestProblem? Invalid(Credentials? credentials)
    {
        if (string.IsNullOrEmpty(credentials?.Email) || string.IsNullOrEmpty(credentials.Password))
        {
            return ApiProblems.BadRequest("Send both 'email' and 'password'.", "invalid-credentials-body");
        }
        // PostgreSQL text cannot hold U+0000: such an e-mail can name no account and must not reach a query.
        if (credentials.Email.Contains('\0') || credentials.Password.Contains('\0'))
        {
            return ApiProblems.BadRequest("'email' and 'password' may not contain U+0000.", "invalid-character");
        }
        return null;
    }

    private static ValidationProblem ValidationProblemOf(IdentityResult result) =>
        TypedResults.ValidationProblem(result.Errors
            .GroupBy(e => e.Code)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
}
