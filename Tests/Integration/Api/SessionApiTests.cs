using System.Net;
using BlazorJobs.Server.Chat;
using BlazorJobs.Server.Jobs;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>api.md, "Bodies of the session endpoints": list, history and delete, for both chatbots.</summary>
public sealed class SessionApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task Sessions_are_listed_newest_first_titled_by_their_first_question(string bot)
    {
        using var caller = await app.NewCallerAsync(bot);
        // Each answer is awaited: an answer arriving updates its session too.
        var older = await AskAndWaitAsync(caller, bot, "What is flexbox?");
        var newer = await AskAndWaitAsync(caller, bot, "What is a closure in JavaScript?");
        await AskAndWaitAsync(caller, bot, "A follow-up that must not rename the session", older.SessionId);

        var sessions = await ChatRequests.SessionsAsync(caller, bot);

        // The follow-up made the older session the most recently updated one.
        Assert.Equal([older.SessionId, newer.SessionId], sessions.Select(s => s.SessionId));
        Assert.Equal(["What is flexbox?", "What is a closure in JavaScript?"], sessions.Select(s => s.Title));
        Assert.True(sessions[0].UpdatedAt >= sessions[1].UpdatedAt);
    }

    [Fact]
    public async Task A_long_first_question_gives_a_shortened_title()
    {
        using var visitor = app.CreateClient();
        var question = "How do I " + string.Concat(Enumerable.Repeat("center a box inside another box ", 10)).Trim() + "?";
        await ChatApi.AskAsync(visitor, ChatApi.Landing, question);

        var session = Assert.Single(await ChatRequests.SessionsAsync(visitor, ChatApi.Landing));

        Assert.InRange(session.Title.Length, 10, 100);
        Assert.StartsWith(session.Title.TrimEnd('…'), question);
    }

    [Fact]
    public async Task The_tutor_lists_the_sessions_of_one_course_when_asked()
    {
        using var learner = await app.CreateNewLearnerClientAsync();
        var course = await SeededCatalog.CourseAsync(app);
        var inCourse = (await ChatRequests.QueryAsync(learner, ChatApi.Tutor, new { question = "What is flexbox?", courseId = course }));
        Assert.Equal(HttpStatusCode.Accepted, inCourse.StatusCode);
        var elsewhere = await ChatApi.AskAsync(learner, ChatApi.Tutor, "What is a closure?");

        var filtered = await ChatRequests.SessionsAsync(learner, ChatApi.Tutor, $"?courseId={course}");
        var all = await ChatRequests.SessionsAsync(learner, ChatApi.Tutor);

        var only = Assert.Single(filtered);
        Assert.Equal(course, only.CourseId);
        Assert.Equal(2, all.Count);
        Assert.Contains(all, s => s.SessionId == elsewhere.SessionId && s.CourseId is null);
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task History_has_each_question_and_answer_in_order_and_no_pending_job_once_finished(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var first = await ChatApi.AskAsync(caller, bot, "What is flexbox?");
        var firstJob = await ChatApi.WaitForTerminalAsync(caller, first.PollUrl);
        var second = await ChatApi.AskAsync(caller, bot, "How do I wrap flex items?", first.SessionId);
        var secondJob = await ChatApi.WaitForTerminalAsync(caller, second.PollUrl);

        var history = await ChatRequests.HistoryAsync(caller, bot, first.SessionId);

        Assert.Equal(first.SessionId, history.SessionId);
        Assert.Equal(["user", "assistant", "user", "assistant"], history.Messages.Select(m => m.Role));
        Assert.Equal([first.JobId, first.JobId, second.JobId, second.JobId], history.Messages.Select(m => m.JobId));
        Assert.Equal(["What is flexbox?", firstJob.Result!.Answer, "How do I wrap flex items?", secondJob.Result!.Answer], history.Messages.Select(m => m.Text));
        Assert.All(history.Messages, m => Assert.Equal("COMPLETED", m.Status));
        Assert.Equal(firstJob.Result.Sources, history.Messages[1].Sources);
        Assert.Equal(history.Messages.OrderBy(m => m.CreatedAt).Select(m => m.Text), history.Messages.Select(m => m.Text));
        Assert.Null(history.PendingJob);
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task Deleting_a_session_answers_204_and_removes_it_with_its_finished_jobs(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?");
        await ChatApi.WaitForTerminalAsync(caller, accepted.PollUrl);
        var sessionUrl = $"{bot}/sessions/{accepted.SessionId}";

        var deleted = await caller.DeleteAsync(sessionUrl);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ProblemAssert.IsAsync(await caller.GetAsync(sessionUrl), HttpStatusCode.NotFound);
        await ProblemAssert.IsAsync(await caller.DeleteAsync(sessionUrl), HttpStatusCode.NotFound);
        await ProblemAssert.IsAsync(await caller.GetAsync(accepted.PollUrl), HttpStatusCode.NotFound);
        Assert.DoesNotContain(accepted.SessionId, (await ChatRequests.SessionsAsync(caller, bot)).Select(s => s.SessionId));
        Assert.Equal(0L, await app.ScalarAsync("SELECT count(*) FROM chat_messages WHERE session_id = @id", ("id", accepted.SessionId)));
    }

    [Fact]
    public async Task A_caller_without_sessions_gets_an_empty_list()
    {
        using var visitor = app.CreateClient();

        var sessions = await ChatRequests.SessionsAsync(visitor, ChatApi.Landing);

        Assert.Empty(sessions);
    }

    [Fact]
    public async Task Retention_deletes_idle_sessions_with_their_messages_but_not_one_whose_job_is_unfinished()
    {
        using var visitor = app.CreateClient();
        var idle = await AskAndWaitAsync(visitor, ChatApi.Landing, "What is flexbox?");
        var waiting = await AskAndWaitAsync(visitor, ChatApi.Landing, "What is CSS grid?");
        var recent = await AskAndWaitAsync(visitor, ChatApi.Landing, "What is a closure?");
        await app.ScalarAsync("UPDATE chat_sessions SET updated_at = now() - interval '100 days' WHERE id = ANY(@ids)",
            ("ids", new[] { idle.SessionId, waiting.SessionId }));
        // As if its worker were still on it: its answer must still reach whoever waits.
        await app.ScalarAsync("UPDATE jobs SET status = 'PROCESSING' WHERE id = @id", ("id", waiting.JobId));
        var cleaner = new ChatSessionCleaner(app.Service<NpgsqlDataSource>(), Options.Create(new ChatOptions { RetentionDays = 90 }),
            Options.Create(new JobOptions()), TimeProvider.System, NullLogger<ChatSessionCleaner>.Instance);

        var deleted = await cleaner.CleanOnceAsync(CancellationToken.None);

        Assert.Equal(1, deleted);
        await ProblemAssert.IsAsync(await visitor.GetAsync($"{ChatApi.Landing}/sessions/{idle.SessionId}"), HttpStatusCode.NotFound);
        Assert.Equal(0L, await app.ScalarAsync("SELECT count(*) FROM chat_messages WHERE session_id = @id", ("id", idle.SessionId)));
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"{ChatApi.Landing}/sessions/{waiting.SessionId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"{ChatApi.Landing}/sessions/{recent.SessionId}")).StatusCode);
    }

    private static async Task<Accepted> AskAndWaitAsync(HttpClient caller, string bot, string question, Guid? sessionId = null)
    {
        var accepted = await ChatApi.AskAsync(caller, bot, question, sessionId);
        await ChatApi.WaitForTerminalAsync(caller, accepted.PollUrl);
        return accepted;
    }
}
