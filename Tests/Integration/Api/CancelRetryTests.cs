using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>api.md, "Cancel and retry", on jobs that are still running (a slow tutor).</summary>
public sealed class CancelRetryTests(SlowTutorFixture app) : IClassFixture<SlowTutorFixture>
{
    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task Cancel_stops_a_running_job_and_keeps_its_partial_answer_out_of_history(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?");
        await WaitForFirstDeltaAsync(accepted.JobId);

        var response = await caller.PostAsync($"{accepted.PollUrl}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(new CancelBody(accepted.JobId, "CANCELLED"), await response.Content.ReadFromJsonAsync<CancelBody>(Json.Options));
        var job = await ChatRequests.PollAsync(caller, accepted.PollUrl);
        Assert.Equal("CANCELLED", job.Status);
        Assert.Null(job.Result);
        var history = await ChatRequests.HistoryAsync(caller, bot, accepted.SessionId);
        var message = Assert.Single(history.Messages);
        Assert.Equal(("user", "CANCELLED"), (message.Role, message.Status));
        Assert.Null(history.PendingJob);
    }

    [Fact]
    public async Task Cancelling_a_job_that_is_already_cancelled_is_409()
    {
        using var visitor = app.CreateClient();
        var accepted = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is flexbox?");
        Assert.Equal(HttpStatusCode.Accepted, (await visitor.PostAsync($"{accepted.PollUrl}/cancel", null)).StatusCode);

        var again = await visitor.PostAsync($"{accepted.PollUrl}/cancel", null);

        await ProblemAssert.IsAsync(again, HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task Retrying_a_cancelled_job_runs_the_same_job_again_without_repeating_the_question(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?");
        Assert.Equal(HttpStatusCode.Accepted, (await caller.PostAsync($"{accepted.PollUrl}/cancel", null)).StatusCode);

        var response = await caller.PostAsync($"{accepted.PollUrl}/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(accepted, await response.Content.ReadFromJsonAsync<Accepted>(Json.Options));
        Assert.Equal(accepted.PollUrl, response.Headers.Location?.OriginalString);
        var job = await ChatRequests.PollAsync(caller, accepted.PollUrl);
        Assert.Equal(2, job.Attempt);
        Assert.Contains(job.Status, new[] { "PENDING", "PROCESSING" });
        var history = await ChatRequests.HistoryAsync(caller, bot, accepted.SessionId);
        Assert.Single(history.Messages, m => m.Role == "user");
        Assert.Equal(accepted.JobId, history.PendingJob?.JobId);
        await caller.PostAsync($"{accepted.PollUrl}/cancel", null); // frees the worker slot
    }

    [Fact]
    public async Task Retrying_a_job_that_is_still_running_is_409()
    {
        using var visitor = app.CreateClient();
        var accepted = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is flexbox?");

        var response = await visitor.PostAsync($"{accepted.PollUrl}/retry", null);

        await ProblemAssert.IsAsync(response, HttpStatusCode.Conflict);
        Assert.Equal(1, (await ChatRequests.PollAsync(visitor, accepted.PollUrl)).Attempt);
        await visitor.PostAsync($"{accepted.PollUrl}/cancel", null);
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task History_names_the_unfinished_job_so_a_reloaded_page_can_resume_it(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?");

        var history = await ChatRequests.HistoryAsync(caller, bot, accepted.SessionId);

        var message = Assert.Single(history.Messages);
        Assert.Equal(("user", "What is flexbox?", accepted.JobId), (message.Role, message.Text, message.JobId));
        var pending = history.PendingJob;
        Assert.NotNull(pending);
        Assert.Equal(accepted.JobId, pending.JobId);
        Assert.Contains(pending.Status, new[] { "PENDING", "PROCESSING" });
        Assert.True(pending.LastEventId >= 0);
        Assert.Equal((accepted.StreamUrl, accepted.PollUrl), (pending.StreamUrl, pending.PollUrl));
        await caller.PostAsync($"{accepted.PollUrl}/cancel", null);
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task History_gives_the_unfinished_job_the_delivery_mode_stored_with_it_so_a_reloaded_page_asks_for_none(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?");
        // Another mode than the caller's current one proves the history reads the job's own.
        var stored = accepted.Delivery == "polling" ? "hybrid" : "polling";
        await app.ScalarAsync("UPDATE jobs SET delivery_mode = @mode WHERE id = @id", ("mode", stored), ("id", accepted.JobId));

        var history = await ChatRequests.HistoryAsync(caller, bot, accepted.SessionId);

        Assert.Equal(stored, history.PendingJob?.Delivery);
        await caller.PostAsync($"{accepted.PollUrl}/cancel", null);
    }

    [Fact]
    public async Task The_etag_changes_when_the_job_changes()
    {
        using var visitor = app.CreateClient();
        var accepted = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is flexbox?");
        var before = (await visitor.GetAsync(accepted.PollUrl)).Headers.ETag!;
        await visitor.PostAsync($"{accepted.PollUrl}/cancel", null);

        var request = new HttpRequestMessage(HttpMethod.Get, accepted.PollUrl);
        request.Headers.IfNoneMatch.Add(before);
        var after = await visitor.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("CANCELLED", (await after.Content.ReadFromJsonAsync<PollBody>(Json.Options))!.Status);
        Assert.NotEqual(before, after.Headers.ETag);
    }

    /// <summary>Waits until the worker has streamed part of the answer, so a cancel has a partial answer to discard.</summary>
    private Task WaitForFirstDeltaAsync(Guid jobId) =>
        Eventually.ReturnsAsync(
            () => app.ScalarAsync("SELECT count(*) FROM job_events WHERE job_id = @id AND type = 'delta'", ("id", jobId)),
            count => (long)count! > 0,
            $"a delta of job {jobId}");
}
