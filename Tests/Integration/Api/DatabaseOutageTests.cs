using System.Net;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>
/// api.md, Conventions: when PostgreSQL is unreachable, requests answer 503 with Retry-After, and the
/// server recovers by itself, without a restart, when the database returns.
/// </summary>
public sealed class DatabaseOutageTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Requests_are_503_with_retry_after_while_the_database_is_down_and_succeed_once_it_is_back()
    {
        using var visitor = app.CreateClient();
        using var learner = await app.LearnerAsync();
        var visitorJob = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is flexbox?");
        var learnerJob = await ChatApi.AskAsync(learner, ChatApi.Tutor, "What is flexbox?");
        await ChatApi.WaitForTerminalAsync(visitor, visitorJob.PollUrl);
        await ChatApi.WaitForTerminalAsync(learner, learnerJob.PollUrl);

        await using (var outage = await DatabaseOutage.BeginAsync(app))
        {
            await ProblemAssert.IsRetryableAsync(
                await ChatRequests.QueryAsync(visitor, ChatApi.Landing, new { question = "What is grid?" }), HttpStatusCode.ServiceUnavailable, "database-unavailable");
            await ProblemAssert.IsRetryableAsync(
                await ChatRequests.QueryAsync(learner, ChatApi.Tutor, new { question = "What is grid?" }), HttpStatusCode.ServiceUnavailable, "database-unavailable");
            await ProblemAssert.IsRetryableAsync(await visitor.GetAsync(visitorJob.PollUrl), HttpStatusCode.ServiceUnavailable, "database-unavailable");
            await ProblemAssert.IsRetryableAsync(await learner.GetAsync(learnerJob.PollUrl), HttpStatusCode.ServiceUnavailable, "database-unavailable");
            await ProblemAssert.IsRetryableAsync(await visitor.GetAsync($"{ChatApi.Landing}/sessions"), HttpStatusCode.ServiceUnavailable, "database-unavailable");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await visitor.GetAsync("/health")).StatusCode);
            await outage.EndAsync();
        }

        var recovered = await Eventually.ReturnsAsync(
            () => ChatRequests.QueryAsync(visitor, ChatApi.Landing, new { question = "What is grid?" }),
            response => response.StatusCode == HttpStatusCode.Accepted,
            "an enqueue to succeed after the database came back");
        var accepted = Json.Parse<Accepted>(await recovered.Content.ReadAsStringAsync());
        Assert.Equal("COMPLETED", (await ChatApi.WaitForTerminalAsync(visitor, accepted.PollUrl)).Status);
        Assert.Equal(HttpStatusCode.OK, (await learner.GetAsync(learnerJob.PollUrl)).StatusCode);
        await Eventually.ReturnsAsync(() => visitor.GetAsync("/health"), r => r.StatusCode == HttpStatusCode.OK, "/health to be ready again");
    }
}
