using System.Net;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>api.md, the tutor's auth: an expired bearer token is 401 (tokens live six seconds here).</summary>
public sealed class ExpiredTokenTests(ShortTokenFixture app) : IClassFixture<ShortTokenFixture>
{
    [Fact]
    public async Task A_token_that_worked_is_401_once_it_has_expired()
    {
        using var learner = await app.CreateLearnerClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await learner.GetAsync($"{ChatApi.Tutor}/sessions")).StatusCode);

        // Waiting out the token's lifetime is the point of this test; the deadline only bounds it.
        var expired = await Eventually.ReturnsAsync(
            () => learner.GetAsync($"{ChatApi.Tutor}/sessions"),
            response => response.StatusCode != HttpStatusCode.OK,
            "the token to expire",
            ShortTokenFixture.TokenLifetime * 4);

        await ProblemAssert.IsAsync(expired, HttpStatusCode.Unauthorized);
    }
}
