using BlazorJobs.Server.Data;
using BlazorJobs.Server.Data.Entities;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;

namespace BlazorJobs.Server.Accounts;

public static class AccountsRegistration
{
    /// <summary>
    /// Identity on PostgreSQL with both schemes: the cookie for Blazor pages, bearer tokens for the API.
    /// No API path ever redirects to a login page: unauthenticated is 401, forbidden is 403.
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DemoAccountsOptions>().Bind(configuration.GetSection(DemoAccountsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();

        services.AddIdentityApiEndpoints<AppUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
                options.Password.RequireNonAlphanumeric = false;
                options.SignIn.RequireConfirmedAccount = false;
                // Lock-out can be aimed at any account from anywhere; the per-IP sign-in limit holds guessers instead.
                options.Lockout.AllowedForNewUsers = false;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<AppDbContext>();

        services.Configure<BearerTokenOptions>(IdentityConstants.BearerScheme, options =>
        {
            options.BearerTokenExpiration = TimeSpan.FromMinutes(auth.AccessTokenMinutes);
            options.Events.OnMessageReceived = context =>
                context.HttpContext.RequestServices.GetRequiredService<SecurityStampCheck>().RejectSignedOutTokenAsync(context);
        });
        services.AddMemoryCache();
        services.AddSingleton<SecurityStampCheck>();
        services.AddSingleton<SignOutStreamWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<SignOutStreamWatch>());
        services.AddScoped<SignOutEverywhere>();

        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/Account/Login";
            options.AccessDeniedPath = "/Account/Login";
            options.Cookie.Name = "bj_auth";
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Events.OnRedirectToLogin = context => StatusInsteadOfRedirect(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => StatusInsteadOfRedirect(context, StatusCodes.Status403Forbidden);
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.BearerOnly, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.BearerScheme)
                .RequireAuthenticatedUser())
            .AddPolicy(AuthPolicies.Admin, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.BearerScheme, IdentityConstants.ApplicationScheme)
                .RequireRole(AuthPolicies.AdminRole));

        services.AddScoped<DemoAccounts>();
        return services;
    }

    private static Task StatusInsteadOfRedirect<TOptions>(Microsoft.AspNetCore.Authentication.RedirectContext<TOptions> context, int status)
        where TOptions : Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }
        return Task.CompletedTask;
    }
}
