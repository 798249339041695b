using System.Net;
using System.Net.Http.Headers;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>api.md, the tutor's auth: a bearer token in the Authorization header, and nothing else, gets in.</summary>
public sealed class TutorAuthTests(AppFixture app) : IClassFixture<AppFixture>
{
    // Fixed ids keep the theory's cases the same at discovery and at run time.
    private const string Id = "0190b7d2-0000-7000-8000-000000000000";

    public static TheoryData<string, string> TutorEndpoints() => new()
    {
        { "POST", "/api/assistant/query" },
        { "GET", $"/api/assistant/job/{Id}" },
        { "GET", $"/api/assistant/stream/{Id}" },
        { "POST", $"/api/assistant/job/{Id}/cancel" },
        { "POST", $"/api/assistant/job/{Id}/retry" },
        { "GET", "/api/assistant/sessions" },
        { "GET", $"/api/assistant/sessions/{Id}" },
        { "DELETE", $"/api/assistant/sessions/{Id}" },
        { "GET", $"/api/assistant/sessions/{Id}/stream" },
    };

    [Theory]
    [MemberData(nameof(TutorEndpoints))]
    public async Task No_token_is_401_not_a_redirect(string method, string path)
    {
        using var anonymous = app.CreateClient();

        var response = await anonymous.SendAsync(Request(method, path));

        await ProblemAssert.IsAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")]
    [InlineData("CfDJ8Forged0000000000000000000000000000000000000000")]
    public async Task An_invalid_token_is_401(string token)
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await client.GetAsync("/api/assistant/sessions");

        await ProblemAssert.IsAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_valid_token_in_the_query_string_is_ignored()
    {
        using var client = app.CreateClient();
        var token = await AppFixture.LoginAsync(client, "learner@example.com", AppFixture.LearnerPassword);

        var sessions = await client.GetAsync($"/api/assistant/sessions?access_token={Uri.EscapeDataString(token.AccessToken)}");
        var stream = await client.GetAsync($"/api/assistant/stream/{Id}?access_token={Uri.EscapeDataString(token.AccessToken)}");

        await ProblemAssert.IsAsync(sessions, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsAsync(stream, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_valid_token_in_the_authorization_header_gets_in()
    {
        using var learner = await app.LearnerAsync();

        var response = await learner.GetAsync("/api/assistant/sessions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TutorEndpoints))]
    public async Task A_signed_in_cookie_without_a_bearer_token_is_401_not_a_redirect(string method, string path)
    {
        using var browser = app.CreateClient();
        await CookieSignIn.SignInAsync(browser, "learner@example.com", AppFixture.LearnerPassword);

        var response = await browser.SendAsync(Request(method, path));

        await ProblemAssert.IsAsync(response, HttpStatusCode.Unauthorized);
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method == "POST" ? new StringContent("""{"question":"What is flexbox?"}""", System.Text.Encoding.UTF8, "application/json") : null,
    };
}
