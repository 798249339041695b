using System.Net;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>api.md, Conventions: the guide's enqueues are also limited per IP (here 4 a minute), whatever the visitor cookie.</summary>
public sealed class IpRateLimitTests(IpRateLimitFixture app) : IClassFixture<IpRateLimitFixture>
{
    // One test: the class's app has one IP bucket, and this test is the one that spends it.
    [Fact]
    public async Task The_per_ip_limit_spans_visitors_and_a_spoofed_forwarded_for_does_not_escape_it()
    {
        for (var i = 0; i < IpRateLimitFixture.PerIp; i++)
        {
            using var visitor = app.CreateClient();
            await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is flexbox?");
        }
        using var nextVisitor = app.CreateClient();
        using var spoofer = app.CreateClient();
        spoofer.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");

        var next = await ChatRequests.QueryAsync(nextVisitor, ChatApi.Landing, new { question = "What is flexbox?" });
        var spoofed = await ChatRequests.QueryAsync(spoofer, ChatApi.Landing, new { question = "What is flexbox?" });

        await ProblemAssert.IsRetryableAsync(next, HttpStatusCode.TooManyRequests, "rate-limited");
        await ProblemAssert.IsRetryableAsync(spoofed, HttpStatusCode.TooManyRequests, "rate-limited");
    }
}
