using System.Net;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>
/// api.md, Accounts: <c>/api/auth</c> offers login, refresh, register, token and logout, and nothing else of
/// Identity's API (no password reset or e-mail confirmation without a mail sender, no <c>/manage/*</c>).
/// </summary>
public sealed class UnofferedAccountEndpointsTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("POST", "/api/auth/forgotPassword")]
    [InlineData("POST", "/api/auth/resetPassword")]
    [InlineData("GET", "/api/auth/confirmEmail?userId=x&code=y")]
    [InlineData("POST", "/api/auth/resendConfirmationEmail")]
    [InlineData("GET", "/api/auth/manage/info")]
    [InlineData("POST", "/api/auth/manage/info")]
    [InlineData("POST", "/api/auth/manage/2fa")]
    public async Task Identity_endpoints_the_contract_does_not_list_are_404_even_for_a_signed_in_learner(string method, string path)
    {
        using var learner = await app.CreateLearnerClientAsync();

        var response = await learner.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { email = "learner@example.com" }) });

        await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/api/auth/login", "{\"email\": \"learner@example.com\", ")]
    [InlineData("/api/auth/login", "{\"email\": 42, \"password\": \"x\"}")]
    [InlineData("/api/auth/login", "{\"email\": \"learner\\u0000@example.com\", \"password\": \"Learner-Pass-1\"}")]
    [InlineData("/api/auth/login", "{}")]
    [InlineData("/api/auth/register", "[1, 2]")]
    [InlineData("/api/auth/register", "{\"email\": \"new\\u0000@example.com\", \"password\": \"Fresh-Pass-1\"}")]
    [InlineData("/api/auth/refresh", "{\"refreshToken\": ")]
    public async Task A_malformed_credentials_body_is_400(string path, string body)
    {
        using var client = app.CreateClient();

        var response = await ChatRequests.PostRawAsync(client, path, body);

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest);
    }
}
