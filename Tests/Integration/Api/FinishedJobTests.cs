using System.Net;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>api.md, "Cancel and retry": a completed job can be neither stopped nor run again.</summary>
public sealed class FinishedJobTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task Cancelling_a_completed_job_is_409_and_changes_nothing(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?");
        var completed = await ChatApi.WaitForTerminalAsync(caller, accepted.PollUrl);

        var response = await caller.PostAsync($"{accepted.PollUrl}/cancel", null);

        await ProblemAssert.IsAsync(response, HttpStatusCode.Conflict);
        var after = await ChatRequests.PollAsync(caller, accepted.PollUrl);
        Assert.Equal((completed.Status, completed.Attempt, completed.CompletedAt), (after.Status, after.Attempt, after.CompletedAt));
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task Retrying_a_completed_job_is_409_and_changes_nothing(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?");
        var completed = await ChatApi.WaitForTerminalAsync(caller, accepted.PollUrl);

        var response = await caller.PostAsync($"{accepted.PollUrl}/retry", null);

        await ProblemAssert.IsAsync(response, HttpStatusCode.Conflict);
        var after = await ChatRequests.PollAsync(caller, accepted.PollUrl);
        Assert.Equal((completed.Status, completed.Attempt, completed.CompletedAt), (after.Status, after.Attempt, after.CompletedAt));
    }
}
