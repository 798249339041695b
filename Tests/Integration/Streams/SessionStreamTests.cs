using System.Globalization;
using System.Net;
using BlazorJobs.Tests.Infrastructure;
using static BlazorJobs.Tests.Integration.Streams.SessionEvents;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>The tutor's session stream: every job of a chat session, live, resumable across jobs.</summary>
public sealed class SessionStreamTests(SessionStreamFixture app) : IClassFixture<SessionStreamFixture>
{
    [Fact]
    public async Task A_question_asked_from_another_client_shows_up_as_request_updates_with_global_event_ids()
    {
        using var laptop = await app.CreateNewLearnerClientAsync();
        using var phone = StreamClients.SameLearnerAs(app, laptop);
        var first = await ChatApi.AskAsync(laptop, ChatApi.Tutor, "What is a CSS animation?");
        await ChatApi.WaitForTerminalAsync(laptop, first.PollUrl);
        var (session, firstJob) = (first.SessionId, first.JobId);
        await using var stream = await LiveStream.OpenAsync(laptop, StreamUrl(session));
        var connected = await stream.NextAsync();
        Assert.Equal(("connected", null), (connected!.Type, connected.Id));

        var asked = await ChatApi.AskAsync(phone, ChatApi.Tutor, "And what is a CSS keyframe?", session);
        var received = await stream.ReadUntilAsync(e => Update(e).JobId == asked.JobId && Update(e).HasResult);
        // The first question's COMPLETED was committed before the stream opened, but its notification can reach the
        // server after (the poll saw the row first): a stream without Last-Event-ID may pass it on as live. Nothing else.
        var updates = received.Where(e => Update(e).JobId != firstJob).ToList();

        Assert.All(received.Except(updates), e => Assert.Equal("COMPLETED", Update(e).Status));
        Assert.All(updates, e => Assert.Equal("request_update", e.Type));
        Assert.All(updates, e => Assert.Equal(asked.JobId, Update(e).JobId));
        Assert.Equal(["PENDING", "PROCESSING", "COMPLETED"], updates.Select(e => Update(e).Status));
        Assert.Equal([false, false, true], updates.Select(e => Update(e).HasResult));
        Assert.All(updates, e => Assert.False(Update(e).HasError));
        Assert.Equal(await StateEventIdsAsync("j.id", asked.JobId), updates.Select(e => long.Parse(e.Id!, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Resume_with_last_event_id_replays_the_updates_after_it_across_the_sessions_jobs()
    {
        using var learner = await app.CreateNewLearnerClientAsync();
        var session = await AnsweredSessionAsync(learner);
        var second = await ChatApi.AskAsync(learner, ChatApi.Tutor, "And what is a CSS keyframe?", session);
        await ChatApi.WaitForTerminalAsync(learner, second.PollUrl);
        var allIds = await StateEventIdsAsync("j.session_id", session);
        var resumeAfter = allIds[1]; // mid first job: its COMPLETED and all of the second job's are still to come

        await using var stream = await LiveStream.OpenAsync(learner, StreamUrl(session), resumeAfter.ToString(CultureInfo.InvariantCulture));
        var replayed = await stream.ReadAsync(1 + allIds.Count(id => id > resumeAfter));

        Assert.Equal("connected", replayed[0].Type);
        Assert.Equal(allIds.Where(id => id > resumeAfter), replayed.Skip(1).Select(e => long.Parse(e.Id!, CultureInfo.InvariantCulture)));
        Assert.Equal(new SessionUpdate(second.JobId, "COMPLETED", 1, HasResult: true, HasError: false), Update(replayed[^1]));
    }

    [Fact]
    public async Task A_malformed_last_event_id_is_400()
    {
        using var learner = await app.CreateNewLearnerClientAsync();
        var session = (await ChatApi.AskAsync(learner, ChatApi.Tutor, "What is a CSS animation?")).SessionId;

        using var response = await SseTestClient.OpenAsync(learner, StreamUrl(session), "not-an-id");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Heartbeats_go_on_while_a_job_of_the_session_streams_its_answer()
    {
        using var laptop = await app.CreateNewLearnerClientAsync();
        using var phone = StreamClients.SameLearnerAs(app, laptop);
        var session = await AnsweredSessionAsync(laptop);
        await using var stream = await RawStream.OpenAsync(laptop, StreamUrl(session));
        await stream.NextAsync(); // retry:
        Assert.Equal("connected", (await stream.NextAsync())!.EventType);

        await ChatApi.AskAsync(phone, ChatApi.Tutor, "And what is a CSS keyframe?", session);
        var blocks = new List<RawBlock>();
        while (await stream.NextAsync() is { } block && !(block.EventType == "request_update" && Update(block.Data!).HasResult))
        {
            blocks.Add(block);
        }

        // The job's deltas are not forwarded, so its 1.5 s of answering are silence on the session stream.
        var whileAnswering = blocks.SkipWhile(b => b.EventType != "request_update" || Update(b.Data!).Status != "PROCESSING").Skip(1).ToList();
        Assert.True(whileAnswering.Count(b => b.IsHeartbeat) >= 2, $"Heartbeats while the job answered: {whileAnswering.Count(b => b.IsHeartbeat)}");
    }

    [Fact]
    public async Task Another_learners_session_is_404()
    {
        using var owner = await app.CreateNewLearnerClientAsync();
        using var stranger = await app.CreateNewLearnerClientAsync();
        var session = (await ChatApi.AskAsync(owner, ChatApi.Tutor, "What is a CSS animation?")).SessionId;

        using var response = await SseTestClient.OpenAsync(stranger, StreamUrl(session));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A session with one answered question, as a learner has after chatting.</summary>
    private static async Task<Guid> AnsweredSessionAsync(HttpClient learner)
    {
        var asked = await ChatApi.AskAsync(learner, ChatApi.Tutor, "What is a CSS animation?");
        await ChatApi.WaitForTerminalAsync(learner, asked.PollUrl);
        return asked.SessionId;
    }

    /// <summary>The global ids of the state-changing job events (not progress or delta) of a job or a session, in order.</summary>
    private async Task<List<long>> StateEventIdsAsync(string column, Guid key)
    {
        var ids = await app.ScalarAsync(
            $"""
            SELECT coalesce(array_agg(e.id ORDER BY e.id), ARRAY[]::bigint[]) FROM job_events e JOIN jobs j ON j.id = e.job_id
            WHERE {column} = @key AND e.type NOT IN ('progress', 'delta')
            """,
            ("key", key));
        return [.. (long[])ids!];
    }
}
