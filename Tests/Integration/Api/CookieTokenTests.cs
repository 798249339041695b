using System.Net;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>api.md, <c>POST /api/auth/token</c>: a page signed in with the cookie gets a bearer token, with an antiforgery token.</summary>
public sealed class CookieTokenTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_cookie_and_the_antiforgery_token_get_a_bearer_token_that_works_on_the_tutor()
    {
        using var browser = app.CreateClient();
        await CookieSignIn.SignInAsync(browser, "learner@example.com", AppFixture.LearnerPassword);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token");
        request.Headers.Add(CookieSignIn.AntiforgeryHeader, await CookieSignIn.AntiforgeryTokenAsync(browser));

        var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<AppFixture.TokenResponse>())!;
        Assert.Equal("Bearer", token.TokenType);
        using var api = app.CreateClient(); // no cookie: the bearer token alone
        api.DefaultRequestHeaders.Authorization = new("Bearer", token.AccessToken);
        var accepted = await ChatApi.AskAsync(api, ChatApi.Tutor, "What is flexbox?");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(accepted.PollUrl)).StatusCode);
    }

    [Fact]
    public async Task The_cookie_without_the_antiforgery_token_is_400()
    {
        using var browser = app.CreateClient();
        await CookieSignIn.SignInAsync(browser, "learner@example.com", AppFixture.LearnerPassword);

        var response = await browser.PostAsync("/api/auth/token", null);

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "antiforgery");
    }

    [Fact]
    public async Task An_antiforgery_token_without_a_signed_in_cookie_is_401()
    {
        using var browser = app.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token");
        request.Headers.Add(CookieSignIn.AntiforgeryHeader, await CookieSignIn.AntiforgeryTokenAsync(browser));

        var response = await browser.SendAsync(request);

        await ProblemAssert.IsAsync(response, HttpStatusCode.Unauthorized);
    }
}
