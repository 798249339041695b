using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>api.md, Accounts: login, register, refresh and logout over the API.</summary>
public sealed class AccountTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Login_with_a_wrong_password_or_an_unknown_email_is_401()
    {
        using var client = app.CreateClient();
        var email = await AccountRequests.RegisterAsync(client);

        var wrongPassword = await client.PostAsJsonAsync("/api/auth/login", new { email, password = "Not-The-Pass-1" });
        var unknownEmail = await client.PostAsJsonAsync("/api/auth/login", new { email = AccountRequests.NewEmail(), password = AccountRequests.Password });

        await ProblemAssert.IsAsync(wrongPassword, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsAsync(unknownEmail, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_registered_learner_can_log_in_at_once_and_use_the_tutor()
    {
        using var client = app.CreateClient();
        var email = await AccountRequests.RegisterAsync(client);

        var token = await AppFixture.LoginAsync(client, email, AccountRequests.Password);

        Assert.Equal("Bearer", token.TokenType);
        Assert.True(token.ExpiresIn > 0);
        Assert.False(string.IsNullOrEmpty(token.RefreshToken));
        Assert.Equal(HttpStatusCode.OK, await AccountRequests.TutorStatusWithAsync(client, token.AccessToken));
    }

    [Fact]
    public async Task Registering_a_taken_email_is_400_saying_so()
    {
        using var client = app.CreateClient();
        var email = await AccountRequests.RegisterAsync(client);

        var response = await client.PostAsJsonAsync("/api/auth/register", new { email, password = AccountRequests.Password });

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("already taken", await ReasonsAsync(response));
    }

    [Theory]
    [InlineData("short1A", "at least 8 characters")]
    [InlineData("alllowercase1", "uppercase")]
    [InlineData("NoDigitsHere", "digit")]
    public async Task Registering_with_a_weak_password_is_400_with_the_reasons(string password, string reason)
    {
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/register", new { email = AccountRequests.NewEmail(), password });

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(reason, await ReasonsAsync(response));
    }

    [Fact]
    public async Task A_refresh_token_gets_a_new_working_access_token()
    {
        using var client = app.CreateClient();
        var email = await AccountRequests.RegisterAsync(client);
        var first = await AppFixture.LoginAsync(client, email, AccountRequests.Password);

        var response = await AccountRequests.RefreshAsync(client, first.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var renewed = (await response.Content.ReadFromJsonAsync<AppFixture.TokenResponse>())!;
        Assert.Equal("Bearer", renewed.TokenType);
        Assert.Equal(HttpStatusCode.OK, await AccountRequests.TutorStatusWithAsync(client, renewed.AccessToken));
    }

    [Fact]
    public async Task A_refresh_token_that_is_not_one_of_ours_is_401()
    {
        using var client = app.CreateClient();

        var response = await AccountRequests.RefreshAsync(client, "not-a-refresh-token");

        await ProblemAssert.IsAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_invalidates_the_learners_refresh_tokens()
    {
        using var client = app.CreateClient();
        var email = await AccountRequests.RegisterAsync(client);
        var token = await AppFixture.LoginAsync(client, email, AccountRequests.Password);
        var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        logout.Headers.Authorization = new("Bearer", token.AccessToken);

        var response = await client.SendAsync(logout);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await ProblemAssert.IsAsync(await AccountRequests.RefreshAsync(client, token.RefreshToken), HttpStatusCode.Unauthorized);
        // Logging out ends sessions, not the account.
        var again = await AppFixture.LoginAsync(client, email, AccountRequests.Password);
        Assert.Equal(HttpStatusCode.OK, (await AccountRequests.RefreshAsync(client, again.RefreshToken)).StatusCode);
    }

    [Fact]
    public async Task Logout_without_being_signed_in_is_401_not_a_redirect()
    {
        using var client = app.CreateClient();

        var response = await client.PostAsync("/api/auth/logout", null);

        await ProblemAssert.IsAsync(response, HttpStatusCode.Unauthorized);
    }

    /// <summary>Everything the problem says about why (its detail and any validation errors), as one text.</summary>
    private static async Task<string> ReasonsAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var reasons = new List<string?> { json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null };
        if (json.RootElement.TryGetProperty("errors", out var errors))
        {
            reasons.AddRange(errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray()).Select(m => m.GetString()));
        }
        return string.Join(" ", reasons);
    }
}
