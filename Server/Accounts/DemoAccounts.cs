using System.Security.Cryptography;
using BlazorJobs.Server.Data.Entities;
using BlazorJobs.Server.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Accounts;

/// <summary>
/// The demo learner and admin, and the roles. Passwords come from configuration, else from the embedded
/// cluster's data folder (generated once, see <see cref="DemoPasswordFile"/>), else (an external database)
/// are generated for this run.
/// </summary>
public sealed partial class DemoAccounts(
    UserManager<AppUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    IOptions<DemoAccountsOptions> options,
    ILogger<DemoAccounts> logger,
    EmbeddedPostgres? embedded = null)
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

    /// <summary>Creates the demo accounts, or sets their passwords to this run's, and returns the logins to print.</summary>
    public async Task<IReadOnlyList<Login>> EnsureAsync()
    {
        await EnsureRolesAsync();
        var generated = embedded is null
            ? new DemoPasswordFile.Passwords(GeneratePassword(), GeneratePassword())
            : await DemoPasswordFile.LoadOrCreateAsync(embedded.DataDirectory, GeneratePassword);
        var learner = await EnsureUserAsync(DemoAccountsOptions.LearnerEmail, Configured(options.Value.LearnerPassword) ?? generated.Learner, AuthPolicies.LearnerRole);
        var admin = await EnsureUserAsync(DemoAccountsOptions.AdminEmail, Configured(options.Value.AdminPassword) ?? generated.Admin, AuthPolicies.AdminRole);
        return [learner, admin];
    }

    private static string? Configured(string? password) => string.IsNullOrEmpty(password) ? null : password;

    private async Task<Login> EnsureUserAsync(string email, string password, string role)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
            Check(await users.CreateAsync(user, password), email);
        }
        // A reset renews the security stamp, which would sign the account out everywhere (and another
        // instance sharing the database prints the same password): only when it really changes.
        else if (!await users.CheckPasswordAsync(user, password))
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
