using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>
/// <c>GET /api/events</c>: the caller's one stream, shared by a browser's tabs — every session's updates for the
/// learner or visitor (global ids, resumable) and the live feed's new items.
/// </summary>
public sealed class EventsStreamTests(SessionStreamFixture app) : IClassFixture<SessionStreamFixture>
{
    private const string Url = "/api/events";

    private sealed record CallerUpdate(Guid SessionId, Guid JobId, string Status, int Attempt, bool HasResult, bool HasError);

    private static CallerUpdate Update(ReceivedEvent e) => Json.Parse<CallerUpdate>(e.Data);

    [Fact]
    public async Task A_learners_stream_carries_every_session_of_theirs_and_live_feed_items_but_no_one_elses_jobs()
    {
        using var laptop = await app.CreateNewLearnerClientAsync();
        using var phone = StreamClients.SameLearnerAs(app, laptop);
        using var stranger = await app.CreateNewLearnerClientAsync();
        await using var stream = await LiveStream.OpenAsync(laptop, Url);
        var connected = await stream.NextAsync();
        Assert.Equal(("connected", null), (connected!.Type, connected.Id));
        Assert.Contains("\"learner\"", connected.Data);

        var strangers = await ChatApi.AskAsync(stranger, ChatApi.Tutor, "What is a CSS transition?");
        var first = await ChatApi.AskAsync(phone, ChatApi.Tutor, "What is a CSS animation?");
        var second = await ChatApi.AskAsync(laptop, ChatApi.Tutor, "And what is a CSS keyframe?");
        var finished = new HashSet<Guid>();
        var received = await stream.ReadUntilAsync(e => e.Type == "request_update" && Update(e).HasResult && finished.Add(Update(e).JobId) && finished.Count == 2);
        await app.ScalarAsync("INSERT INTO announcements (title, body, published_at) VALUES ('Events stream check', 'Hello', now())");
        received.AddRange(await stream.ReadUntilAsync(e => e.Type == "feed_items" && e.Data.Contains("Events stream check")));

        var updates = received.Where(e => e.Type == "request_update").ToList();
        Assert.Equal(new HashSet<Guid> { first.SessionId, second.SessionId }, updates.Select(e => Update(e).SessionId).ToHashSet());
        Assert.DoesNotContain(updates, e => Update(e).JobId == strangers.JobId);
        Assert.Equal(["PENDING", "PROCESSING", "COMPLETED"], updates.Where(e => Update(e).JobId == first.JobId).Select(e => Update(e).Status));
        Assert.All(updates, e => Assert.True(long.Parse(e.Id!, CultureInfo.InvariantCulture) > 0));
        Assert.Equal(updates.Count, updates.Select(e => e.Id).Distinct().Count());
        var feed = received.Last();
        Assert.Contains("\"live\":true", feed.Data);
        Assert.Contains("\"items\":[{", feed.Data);
    }

    [Fact]
    public async Task Resume_with_last_event_id_replays_every_update_after_it_across_sessions()
    {
        using var learner = await app.CreateNewLearnerClientAsync();
        var first = await ChatApi.AskAsync(learner, ChatApi.Tutor, "What is a CSS animation?");
        await ChatApi.WaitForTerminalAsync(learner, first.PollUrl);
        var second = await ChatApi.AskAsync(learner, ChatApi.Tutor, "And what is a CSS keyframe?");
        await ChatApi.WaitForTerminalAsync(learner, second.PollUrl);
        var allIds = await StateEventIdsAsync(first.JobId, second.JobId);
        var resumeAfter = allIds[1]; // mid first job

        await using var stream = await LiveStream.OpenAsync(learner, Url, resumeAfter.ToString(CultureInfo.InvariantCulture));
        var replayed = await stream.ReadAsync(1 + allIds.Count(id => id > resumeAfter));

        Assert.Equal("connected", replayed[0].Type);
        Assert.Equal(allIds.Where(id => id > resumeAfter), replayed.Skip(1).Select(e => long.Parse(e.Id!, CultureInfo.InvariantCulture)));
        Assert.Equal(new CallerUpdate(second.SessionId, second.JobId, "COMPLETED", 1, HasResult: true, HasError: false), Update(replayed[^1]));
        Assert.Equal(first.SessionId, Update(replayed[1]).SessionId);
    }

    [Fact]
    public async Task A_visitor_gets_a_cookie_and_a_stream_of_their_own_landing_jobs()
    {
        using var visitor = app.CreateClient();
        await using var stream = await LiveStream.OpenAsync(visitor, Url);
        Assert.Contains("\"visitor\"", (await stream.NextAsync())!.Data);

        var asked = await ChatApi.AskAsync(visitor, ChatApi.Landing, "Which course teaches CSS animations?");
        var updates = await stream.ReadUntilAsync(e => e.Type == "request_update" && Update(e).HasResult);

        Assert.Equal(asked.JobId, Update(updates.Last(e => e.Type == "request_update")).JobId);
    }

    [Fact]
    public async Task A_bearer_token_that_does_not_authenticate_is_401_and_a_malformed_last_event_id_is_400()
    {
        using var forged = app.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        using var learner = await app.CreateNewLearnerClientAsync();

        using var unauthorized = await SseTestClient.OpenAsync(forged, Url);
        using var malformed = await SseTestClient.OpenAsync(learner, Url, "not-an-id");

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal("application/problem+json", unauthorized.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
    }

    private async Task<List<long>> StateEventIdsAsync(Guid firstJob, Guid secondJob)
    {
        var ids = await app.ScalarAsync(
            """
            SELECT array_agg(id ORDER BY id) FROM job_events
            WHERE job_id IN (@first, @second) AND type NOT IN ('progress', 'delta')
            """,
            ("first", firstJob), ("second", secondJob));
        return [.. (long[])ids!];
    }
}
