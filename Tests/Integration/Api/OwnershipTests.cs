using System.Net;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>
/// api.md: a learner sees only their own jobs and sessions, a visitor only those made with their cookie;
/// someone else's id answers exactly like an id that does not exist, so ids cannot be probed.
/// </summary>
public sealed class OwnershipTests(AppFixture app) : IClassFixture<AppFixture>
{
    public static TheoryData<string, string, string> OwnedResources()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var bot in new[] { ChatApi.Tutor, ChatApi.Landing })
        {
            data.Add(bot, "GET", "/job/{job}");
            data.Add(bot, "GET", "/stream/{job}");
            data.Add(bot, "POST", "/job/{job}/cancel");
            data.Add(bot, "POST", "/job/{job}/retry");
            data.Add(bot, "GET", "/sessions/{session}");
            data.Add(bot, "DELETE", "/sessions/{session}");
        }
        data.Add(ChatApi.Tutor, "GET", "/sessions/{session}/stream");
        return data;
    }

    [Theory]
    [MemberData(nameof(OwnedResources))]
    public async Task Another_callers_job_or_session_is_404_like_an_unknown_id(string bot, string method, string path)
    {
        using var owner = await app.CallerAsync(bot, learner: 0);
        using var stranger = await app.CallerAsync(bot, learner: 1);
        var owned = await ChatApi.AskAsync(owner, bot, "What is flexbox?");
        await ChatApi.AskAsync(stranger, bot, "What is a closure?"); // the stranger is a real caller with jobs of their own

        var foreign = await stranger.SendAsync(new HttpRequestMessage(new HttpMethod(method), bot + Fill(path, owned.JobId, owned.SessionId)));
        var unknown = await stranger.SendAsync(new HttpRequestMessage(new HttpMethod(method), bot + Fill(path, Guid.NewGuid(), Guid.NewGuid())));

        var foreignProblem = await ProblemAssert.IsAsync(foreign, HttpStatusCode.NotFound, "not-found");
        Assert.Equal(await ProblemAssert.IsAsync(unknown, HttpStatusCode.NotFound), foreignProblem);
        // Nothing the stranger sent touched the owner's job or session.
        Assert.NotEqual("CANCELLED", (await ChatRequests.PollAsync(owner, owned.PollUrl)).Status);
        Assert.Single((await ChatRequests.HistoryAsync(owner, bot, owned.SessionId)).Messages, m => m.Role == "user");
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task Another_callers_sessions_are_not_listed(string bot)
    {
        using var owner = await app.CallerAsync(bot, learner: 0);
        using var stranger = await app.CallerAsync(bot, learner: 1);
        var owned = await ChatApi.AskAsync(owner, bot, "What is flexbox?");
        var own = await ChatApi.AskAsync(stranger, bot, "What is a closure?");

        var listed = await ChatRequests.SessionsAsync(stranger, bot);

        Assert.Contains(own.SessionId, listed.Select(s => s.SessionId));
        Assert.DoesNotContain(owned.SessionId, listed.Select(s => s.SessionId));
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task Asking_in_another_callers_session_is_404_and_writes_nothing(string bot)
    {
        using var owner = await app.CallerAsync(bot, learner: 0);
        using var stranger = await app.CallerAsync(bot, learner: 1);
        var owned = await ChatApi.AskAsync(owner, bot, "What is flexbox?");

        var response = await ChatRequests.QueryAsync(stranger, bot, new { question = "Let me in", sessionId = owned.SessionId });

        await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound, "not-found");
        Assert.Equal(1L, await app.ScalarAsync("SELECT count(*) FROM chat_messages WHERE session_id = @id AND role = 'user'", ("id", owned.SessionId)));
    }

    [Fact]
    public async Task A_learners_job_is_not_reachable_through_the_guide()
    {
        using var learner = await app.LearnerAsync();
        using var visitor = app.CreateClient();
        var owned = await ChatApi.AskAsync(learner, ChatApi.Tutor, "What is flexbox?");

        var response = await visitor.GetAsync($"{ChatApi.Landing}/job/{owned.JobId}");

        await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound);
    }

    private static string Fill(string path, Guid jobId, Guid sessionId) =>
        path.Replace("{job}", jobId.ToString()).Replace("{session}", sessionId.ToString());
}
