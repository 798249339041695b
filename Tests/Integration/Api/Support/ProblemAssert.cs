using System.Net;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Api.Support;

/// <summary>The contract's error shape (api.md, Conventions): RFC 9457 problem+json, never HTML, never a redirect.</summary>
public static class ProblemAssert
{
    /// <returns>The problem, for checks on its detail or type.</returns>
    public static async Task<Problem> IsAsync(HttpResponseMessage response, HttpStatusCode status, string? typeEndsWith = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status,
            $"Expected {(int)status} from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Headers.Location);

        var problem = Json.Parse<Problem>(body);
        Assert.Equal((int)status, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Title), $"The problem has no title: {body}");
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail), $"The problem has no detail: {body}");
        if (typeEndsWith is not null)
        {
            Assert.EndsWith(typeEndsWith, problem.Type);
        }
        return problem;
    }

    /// <summary>A limit or an outage: the problem, plus a <c>Retry-After</c> the client can wait on.</summary>
    public static async Task<Problem> IsRetryableAsync(HttpResponseMessage response, HttpStatusCode status, string? typeEndsWith = null)
    {
        var problem = await IsAsync(response, status, typeEndsWith);
        var retryAfter = response.Headers.RetryAfter;
        Assert.NotNull(retryAfter);
        Assert.True(retryAfter.Delta is { TotalSeconds: >= 1 } || retryAfter.Date is not null, $"Retry-After is not a wait: {retryAfter}");
        return problem;
    }
}
