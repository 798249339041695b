using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>api.md, Enqueue and Poll, for both chatbots; and the guide's visitor cookie.</summary>
public sealed class EnqueueAndPollTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task Enqueue_answers_202_with_location_and_where_to_follow_the_job(string bot)
    {
        using var caller = await app.CallerAsync(bot);

        var response = await ChatRequests.QueryAsync(caller, bot, new { question = "What is flexbox?" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        Assert.Equal(["jobId", "sessionId", "delivery", "streamUrl", "pollUrl"], json.RootElement.EnumerateObject().Select(p => p.Name));
        var accepted = Json.Parse<Accepted>(body);
        Assert.NotEqual(Guid.Empty, accepted.JobId);
        Assert.NotEqual(Guid.Empty, accepted.SessionId);
        // The caller's own mode at this moment (the rollout decides it per caller).
        var mode = (await caller.GetFromJsonAsync<DeliveryBody>("/api/delivery", Json.Options))!.Mode;
        Assert.Equal(mode, accepted.Delivery);
        Assert.Equal($"{bot}/job/{accepted.JobId}", accepted.PollUrl);
        Assert.Equal($"{bot}/stream/{accepted.JobId}", accepted.StreamUrl);
        Assert.Equal(accepted.PollUrl, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_guide_sets_an_httponly_samesite_lax_visitor_cookie_on_first_contact()
    {
        using var visitor = app.CreateClient();

        var response = await ChatRequests.QueryAsync(visitor, ChatApi.Landing, new { question = "What is flexbox?" });

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("bj_visitor=", StringComparison.Ordinal));
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain("secure", attributes); // served over plain HTTP here
    }

    /// <summary>
    /// The landing page's scripts send the guide's first question and open the events stream at once: if neither
    /// carried a cookie, each would make a visitor of its own and the question would belong to the one the
    /// browser did not keep. The page itself issues the cookie, so they share one.
    /// </summary>
    [Fact]
    public async Task The_landing_page_gives_a_new_visitor_the_cookie_that_the_guides_requests_then_carry()
    {
        using var visitor = app.CreateClient();

        var page = await visitor.GetAsync("/");
        var query = await ChatRequests.QueryAsync(visitor, ChatApi.Landing, new { question = "What is flexbox?" });
        var again = await visitor.GetAsync("/");

        Assert.Single(VisitorCookies(page));
        Assert.Equal(HttpStatusCode.Accepted, query.StatusCode);
        Assert.Empty(VisitorCookies(query));
        Assert.Empty(VisitorCookies(again));
    }

    private static IEnumerable<string> VisitorCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.Where(c => c.StartsWith("bj_visitor=", StringComparison.Ordinal)) : [];

    [Fact]
    public async Task The_visitor_cookie_is_reused_so_the_visitor_keeps_their_sessions()
    {
        using var visitor = app.CreateClient();
        var first = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is flexbox?");

        var second = await ChatRequests.QueryAsync(visitor, ChatApi.Landing, new { question = "And CSS grid?" });

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.False(second.Headers.Contains("Set-Cookie"), "A visitor who has the cookie is not given a new one.");
        var secondJob = Json.Parse<Accepted>(await second.Content.ReadAsStringAsync());
        var sessions = await ChatRequests.SessionsAsync(visitor, ChatApi.Landing);
        Assert.Equal(new HashSet<Guid> { first.SessionId, secondJob.SessionId }, sessions.Select(s => s.SessionId).ToHashSet());
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task A_question_in_an_existing_session_joins_it(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var first = await ChatApi.AskAsync(caller, bot, "What is flexbox?");

        var second = await ChatApi.AskAsync(caller, bot, "And how do I wrap items?", first.SessionId);

        Assert.Equal(first.SessionId, second.SessionId);
        var history = await ChatRequests.HistoryAsync(caller, bot, first.SessionId);
        Assert.Equal([first.JobId, second.JobId], history.Messages.Where(m => m.Role == "user").Select(m => m.JobId));
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task Poll_answers_the_job_and_its_result_once_completed(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var accepted = await ChatApi.AskAsync(caller, bot, "How do I center an element with flexbox?");
        await ChatApi.WaitForTerminalAsync(caller, accepted.PollUrl);

        var response = await caller.GetAsync(accepted.PollUrl);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(accepted.JobId, root.GetProperty("jobId").GetGuid());
        Assert.Equal("COMPLETED", root.GetProperty("status").GetString());
        Assert.Equal(1, root.GetProperty("attempt").GetInt32());
        var createdAt = root.GetProperty("createdAt").GetDateTimeOffset();
        var completedAt = root.GetProperty("completedAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.Zero, createdAt.Offset);
        Assert.True(completedAt >= createdAt);
        Assert.False(root.TryGetProperty("errorMessage", out _), "A completed job has no error message.");
        var result = root.GetProperty("result");
        Assert.False(string.IsNullOrWhiteSpace(result.GetProperty("answer").GetString()));
        Assert.Equal(accepted.SessionId, result.GetProperty("sessionId").GetGuid());
        Assert.Equal(JsonValueKind.Array, result.GetProperty("nextSuggestions").ValueKind);
        Assert.All(result.GetProperty("sources").EnumerateArray(), s =>
        {
            Assert.False(string.IsNullOrEmpty(s.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrEmpty(s.GetProperty("url").GetString()));
        });
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task A_poll_with_the_current_etag_is_304_with_no_body(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is the event loop?");
        await ChatApi.WaitForTerminalAsync(caller, accepted.PollUrl);
        var first = await caller.GetAsync(accepted.PollUrl);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);

        var request = new HttpRequestMessage(HttpMethod.Get, accepted.PollUrl);
        request.Headers.IfNoneMatch.Add(etag);
        var second = await caller.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, second.Headers.ETag);
    }

    [Fact]
    public async Task A_poll_with_a_stale_etag_gets_the_body()
    {
        using var visitor = app.CreateClient();
        var accepted = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is the event loop?");
        await ChatApi.WaitForTerminalAsync(visitor, accepted.PollUrl);

        var request = new HttpRequestMessage(HttpMethod.Get, accepted.PollUrl);
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"stale\""));
        var response = await visitor.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("COMPLETED", Json.Parse<PollBody>(await response.Content.ReadAsStringAsync()).Status);
    }
}
