using System.Net;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>api.md, Poll and Retry, on jobs that fail for good (every Synthetic job fails, one attempt each).</summary>
public sealed class FailedJobRetryTests(FailingTutorFixture app) : IClassFixture<FailingTutorFixture>
{
    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task A_failed_job_polls_as_failed_with_a_message_and_no_result(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?");

        var job = await ChatApi.WaitForTerminalAsync(caller, accepted.PollUrl);

        Assert.Equal("FAILED", job.Status);
        Assert.False(string.IsNullOrWhiteSpace(job.ErrorMessage));
        Assert.Null(job.Result);
        Assert.NotNull(job.CompletedAt);
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task Retrying_a_failed_job_runs_the_same_job_as_its_next_attempt_without_repeating_the_question(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?");
        await ChatRequests.WaitForStatusAsync(caller, accepted.PollUrl, "FAILED");

        var response = await caller.PostAsync($"{accepted.PollUrl}/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(accepted, await response.Content.ReadFromJsonAsync<Accepted>(Json.Options));
        Assert.Equal(accepted.PollUrl, response.Headers.Location?.OriginalString);
        // This tutor fails every job, so the second attempt ends FAILED too; what matters is that it ran as attempt 2.
        var again = await ChatRequests.WaitForStatusAsync(caller, accepted.PollUrl, "FAILED");
        Assert.Equal(2, again.Attempt);
        var history = await ChatRequests.HistoryAsync(caller, bot, accepted.SessionId);
        var message = Assert.Single(history.Messages);
        Assert.Equal(("user", accepted.JobId), (message.Role, message.JobId));
        Assert.Equal(1L, await app.ScalarAsync("SELECT count(*) FROM jobs WHERE session_id = @id", ("id", accepted.SessionId)));
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task A_retry_reports_and_keeps_the_delivery_mode_stored_with_the_job_instead_of_choosing_again(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?");
        await ChatRequests.WaitForStatusAsync(caller, accepted.PollUrl, "FAILED");
        // Another mode than the caller's current one: a retry that chose again would report that instead.
        var stored = accepted.Delivery == "polling" ? "hybrid" : "polling";
        await app.ScalarAsync("UPDATE jobs SET delivery_mode = @mode WHERE id = @id", ("mode", stored), ("id", accepted.JobId));

        var response = await caller.PostAsync($"{accepted.PollUrl}/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(accepted with { Delivery = stored }, await response.Content.ReadFromJsonAsync<Accepted>(Json.Options));
        Assert.Equal(stored, await app.ScalarAsync("SELECT delivery_mode FROM jobs WHERE id = @id", ("id", accepted.JobId)));
    }
}
