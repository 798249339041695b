using System.Security.Cryptography;
using BlazorJobs.Server.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Accounts;

/// <summary>The demo learner and admin, and the roles; passwords from configuration or generated for this run.</summary>
public sealed partial class DemoAccounts(
    UserManager<AppUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    IOptions<DemoAccountsOptions> options,
    ILogger<DemoAccounts> logger)
{
    public sealed record Login(string Email, string Password);

    public async Task EnsureRolesAsync()
    {
        foreach (var role in new[] { AuthPolicies.AdminRole, AuthPolicies.LearnerRole })
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole<Guid>(role));
            }
        }
    }

    /// <summary>Creates the demo accounts, or resets their passwords to this run's, and returns the logins to print.</summary>
    public async Task<IReadOnlyList<Login>> EnsureAsync()
    {
        await EnsureRolesAsync();
        var learner = await EnsureUserAsync(DemoAccountsOptions.LearnerEmail, options.Value.LearnerPassword, AuthPolicies.LearnerRole);
        var admin = await EnsureUserAsync(DemoAccountsOptions.AdminEmail, options.Value.AdminPassword, AuthPolicies.AdminRole);
        return [learner, admin];
    }

    private async Task<Login> EnsureUserAsync(string email, string? configuredPassword, string role)
    {
        var password = string.IsNullOrEmpty(configuredPassword) ? GeneratePassword() : configuredPassword;
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
            Check(await users.CreateAsync(user, password), email);
        }
        else
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            Check(await users.ResetPasswordAsync(user, token, password), email);
        }
        if (!await users.IsInRoleAsync(user, role))
        {
            Check(await users.AddToRoleAsync(user, role), email);
        }
        LogDemoAccountReady(email);
        return new Login(email, password);
    }

    /// <summary>
    /// A password Identity's rules always accept: letters of both cases and digits in groups of their own
    /// (random base64 alone lacked a digit about one start in eight, and the start failed), no look-alikes.
    /// </summary>
    internal static string GeneratePassword() =>
        "Demo-" + RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz", 5)
                + RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ", 3)
                + RandomNumberGenerator.GetString("23456789", 4);

    private static void Check(IdentityResult result, string email)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not set up the demo account {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Demo account {Email} is ready")]
    private partial void LogDemoAccountReady(string email);
}
