using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Data.Entities;
using BlazorJobs.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>The passwords generated for the demo accounts at each start, against the app's own password rules.</summary>
public sealed class DemoPasswordTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Every_generated_demo_password_passes_the_apps_password_rules()
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = "demo@example.com", Email = "demo@example.com" };

        // Random passwords once failed about one start in eight (no digit): a thousand draws make such a gap certain to show.
        for (var i = 0; i < 1000; i++)
        {
            var password = DemoAccounts.GeneratePassword();
            foreach (var validator in users.PasswordValidators)
            {
                var result = await validator.ValidateAsync(users, user, password);
                Assert.True(result.Succeeded, $"'{password}': {string.Join(" ", result.Errors.Select(e => e.Description))}");
            }
        }
    }
}
