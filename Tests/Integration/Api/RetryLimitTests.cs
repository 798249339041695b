using System.Net;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>
/// api.md, Cancel and retry: a retry runs the tutor again, so it spends the same budget as asking (here 3
/// a minute per caller), and cancels have a limit of their own (here 5): a cancel → retry loop cannot run
/// the tutor without end.
/// </summary>
public sealed class RetryLimitTests(RetryLimitFixture app) : IClassFixture<RetryLimitFixture>
{
    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task A_cancel_retry_loop_is_held_by_the_enqueue_budget(string bot)
    {
        using var caller = await app.NewCallerAsync(bot);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?"); // run 1
        var retries = new List<HttpStatusCode>();
        for (var i = 0; i < RetryLimitFixture.RunsPerCaller; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await caller.PostAsync($"{accepted.PollUrl}/cancel", null)).StatusCode);
            retries.Add((await caller.PostAsync($"{accepted.PollUrl}/retry", null)).StatusCode);
        }
        var ask = await ChatRequests.QueryAsync(caller, bot, new { question = "What is grid?" });

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], retries);
        // The retries spent the asking budget too.
        await ProblemAssert.IsRetryableAsync(ask, HttpStatusCode.TooManyRequests, "rate-limited");
        var job = await ChatRequests.PollAsync(caller, accepted.PollUrl);
        Assert.Equal(("CANCELLED", RetryLimitFixture.RunsPerCaller), (job.Status, job.Attempt));
    }

    [Fact]
    public async Task Cancels_are_limited_per_caller_and_another_caller_can_still_cancel()
    {
        using var busy = app.CreateClient();
        using var other = app.CreateClient();
        var busyJob = await ChatApi.AskAsync(busy, ChatApi.Landing, "What is flexbox?");
        var otherJob = await ChatApi.AskAsync(other, ChatApi.Landing, "What is grid?");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= RetryLimitFixture.CancelsPerCaller; i++)
        {
            statuses.Add((await busy.PostAsync($"{busyJob.PollUrl}/cancel", null)).StatusCode);
        }

        var elsewhere = await other.PostAsync($"{otherJob.PollUrl}/cancel", null);

        // The first stops the job, the next ones find it stopped, the one over the limit is refused.
        Assert.Equal(HttpStatusCode.Accepted, statuses[0]);
        Assert.All(statuses.Skip(1).Take(RetryLimitFixture.CancelsPerCaller - 1), s => Assert.Equal(HttpStatusCode.Conflict, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(HttpStatusCode.Accepted, elsewhere.StatusCode);
    }
}
