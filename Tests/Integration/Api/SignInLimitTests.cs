using System.Net;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>
/// api.md, Accounts: sign-ins and registrations are limited per IP (here 5 and 3 a minute), and a failed
/// sign-in never locks an account, so an attacker cannot lock the admin out from anywhere.
/// Each test spends the buckets of IPs of its own.
/// </summary>
public sealed class SignInLimitTests(SignInLimitFixture app) : IClassFixture<SignInLimitFixture>
{
    [Fact]
    public async Task An_attackers_burst_of_wrong_passwords_is_throttled_per_ip_and_the_admin_still_signs_in_from_elsewhere()
    {
        var statuses = new List<HttpStatusCode>();
        foreach (var attackerIp in new[] { "198.51.100.1", "198.51.100.2" })
        {
            using var attacker = app.FromIp(attackerIp);
            for (var i = 0; i <= SignInLimitFixture.SignInsPerIp; i++)
            {
                var guess = await attacker.PostAsJsonAsync("/api/auth/login", new { email = "admin@example.com", password = $"Guess-{i}-Pass" });
                statuses.Add(guess.StatusCode);
                if (guess.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    await ProblemAssert.IsRetryableAsync(guess, HttpStatusCode.TooManyRequests, "rate-limited");
                }
            }
        }
        using var admin = app.FromIp("203.0.113.50");

        var signIn = await admin.PostAsJsonAsync("/api/auth/login", new { email = "admin@example.com", password = AppFixture.AdminPassword });

        // Ten wrong passwords (twice Identity's lock-out threshold), then each IP is held.
        Assert.Equal(2 * SignInLimitFixture.SignInsPerIp, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.False(string.IsNullOrEmpty((await signIn.Content.ReadFromJsonAsync<AppFixture.TokenResponse>())!.AccessToken));
    }

    [Fact]
    public async Task The_sign_in_form_counts_against_the_same_limit_and_says_so_on_the_page()
    {
        using var browser = app.FromIp("198.51.100.10");
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i <= SignInLimitFixture.SignInsPerIp; i++)
        {
            var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["email"] = "admin@example.com",
                ["password"] = $"Guess-{i}-Pass",
                ["__RequestVerificationToken"] = await CookieSignIn.AntiforgeryTokenAsync(browser),
            });
            answers.Add(await browser.PostAsync("/Account/Login", form));
        }

        Assert.All(answers.Take(SignInLimitFixture.SignInsPerIp), a => Assert.StartsWith("/Account/Login?error=invalid", a.Headers.Location?.OriginalString));
        Assert.Equal(HttpStatusCode.SeeOther, answers[^1].StatusCode);
        Assert.Equal("/Account/Login?error=throttled", answers[^1].Headers.Location?.OriginalString);
        Assert.NotNull(answers[^1].Headers.RetryAfter);
        Assert.Contains("Too many sign-in attempts", await browser.GetStringAsync("/Account/Login?error=throttled"));
    }

    [Fact]
    public async Task Registrations_are_limited_per_ip_and_another_ip_still_registers()
    {
        using var busy = app.FromIp("198.51.100.20");
        using var other = app.FromIp("198.51.100.21");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= SignInLimitFixture.RegistrationsPerIp; i++)
        {
            statuses.Add((await busy.PostAsJsonAsync("/api/auth/register", new { email = AccountRequests.NewEmail(), password = AccountRequests.Password })).StatusCode);
        }

        var elsewhere = await other.PostAsJsonAsync("/api/auth/register", new { email = AccountRequests.NewEmail(), password = AccountRequests.Password });

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, SignInLimitFixture.RegistrationsPerIp).Append(HttpStatusCode.TooManyRequests), statuses);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }
}
