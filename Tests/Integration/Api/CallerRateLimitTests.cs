using System.Net;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>
/// api.md, Conventions: enqueues are limited per visitor and per learner (here 3 a minute), and delivery
/// reports are rate-limited too, answered 429 with Retry-After.
/// </summary>
public sealed class CallerRateLimitTests(CallerRateLimitFixture app) : IClassFixture<CallerRateLimitFixture>
{
    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task Enqueues_over_the_callers_limit_are_429_with_retry_after(string bot)
    {
        using var caller = await app.NewCallerAsync(bot);
        var first = await ChatApi.AskAsync(caller, bot, "Question 1");
        for (var i = 2; i <= CallerRateLimitFixture.PerCaller; i++)
        {
            await ChatApi.AskAsync(caller, bot, $"Question {i}");
        }

        var response = await ChatRequests.QueryAsync(caller, bot, new { question = "One too many" });

        await ProblemAssert.IsRetryableAsync(response, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal(CallerRateLimitFixture.PerCaller, (await ChatRequests.SessionsAsync(caller, bot)).Count);
        // The limit is on asking, not on reading answers.
        Assert.Equal(HttpStatusCode.OK, (await caller.GetAsync(first.PollUrl)).StatusCode);
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task One_caller_at_the_limit_does_not_hold_back_another(string bot)
    {
        using var busy = await app.NewCallerAsync(bot);
        using var other = await app.NewCallerAsync(bot);
        for (var i = 1; i <= CallerRateLimitFixture.PerCaller; i++)
        {
            await ChatApi.AskAsync(busy, bot, $"Question {i}");
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChatRequests.QueryAsync(busy, bot, new { question = "One too many" })).StatusCode);

        var response = await ChatRequests.QueryAsync(other, bot, new { question = "My first question" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Delivery_reports_over_the_limit_are_429_with_retry_after()
    {
        using var visitor = app.CreateClient();
        var accepted = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is flexbox?");
        var report = new { jobId = accepted.JobId, mode = "hybrid", kind = "stream_error" };
        for (var i = 0; i < CallerRateLimitFixture.PerCaller; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await visitor.PostAsJsonAsync("/api/delivery/reports", report)).StatusCode);
        }

        var response = await visitor.PostAsJsonAsync("/api/delivery/reports", report);

        await ProblemAssert.IsRetryableAsync(response, HttpStatusCode.TooManyRequests, "rate-limited");
    }

    [Fact]
    public async Task New_visitors_behind_one_ip_each_get_their_own_allowance()
    {
        // An office or a school behind one address: more new visitors than the per-visitor limit, well under the per-IP one.
        var visitors = Enumerable.Range(0, CallerRateLimitFixture.PerCaller + 2).Select(_ => app.CreateClient()).ToList();

        var responses = new List<HttpResponseMessage>();
        foreach (var visitor in visitors)
        {
            responses.Add(await ChatRequests.QueryAsync(visitor, ChatApi.Landing, new { question = "My first question" }));
        }

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        visitors.ForEach(v => v.Dispose());
    }
}
