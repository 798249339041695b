using System.Net;
using System.Net.Http.Json;
using BlazorJobs.Server.Streaming;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>api.md, "Rollout of the delivery mode": the caller's mode, and what clients report about delivery.</summary>
public sealed class DeliveryApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task A_caller_has_one_mode_which_their_enqueues_carry(string bot)
    {
        using var caller = await app.CallerAsync(bot);

        var response = await caller.GetAsync("/api/delivery");
        var again = await caller.GetFromJsonAsync<DeliveryBody>("/api/delivery", Json.Options);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "A caller's mode may change at any time: it must not be cached.");
        var delivery = (await response.Content.ReadFromJsonAsync<DeliveryBody>(Json.Options))!;
        Assert.Contains(delivery.Mode, new[] { "sse", "hybrid", "polling" });
        Assert.False(delivery.KillSwitch);
        Assert.Equal(delivery, again);
        Assert.Equal(delivery.Mode, accepted.Delivery);
    }

    [Fact]
    public async Task The_clients_silence_limit_comes_from_the_servers_heartbeat_three_beats_long()
    {
        using var caller = await app.CallerAsync(ChatApi.Landing);

        var delivery = (await caller.GetFromJsonAsync<DeliverySilenceLimit>("/api/delivery", Json.Options))!;

        var heartbeat = TimeSpan.FromSeconds(app.Service<IOptions<StreamOptions>>().Value.HeartbeatSeconds);
        Assert.Equal((int)Math.Ceiling(heartbeat.TotalMilliseconds * 3), delivery.HeartbeatTimeoutMs);
    }

    [Theory]
    [InlineData(ChatApi.Tutor, "fallback")]
    [InlineData(ChatApi.Landing, "stream_error")]
    public async Task A_report_about_an_owned_job_is_204_and_stored(string bot, string kind)
    {
        using var caller = await app.CallerAsync(bot);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?");

        var response = await caller.PostAsJsonAsync("/api/delivery/reports", new { jobId = accepted.JobId, mode = "hybrid", kind, detail = "EventSource error" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1L, await ReportsAboutAsync(accepted.JobId, kind));
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task A_report_about_another_callers_job_is_ignored(string bot)
    {
        using var owner = await app.CallerAsync(bot, learner: 0);
        using var stranger = await app.CallerAsync(bot, learner: 1);
        var accepted = await ChatApi.AskAsync(owner, bot, "What is flexbox?");

        var response = await stranger.PostAsJsonAsync("/api/delivery/reports", new { jobId = accepted.JobId, mode = "sse", kind = "stream_error" });

        // 204 like any report, so a stranger learns nothing about the id.
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0L, await ReportsAboutAsync(accepted.JobId, "stream_error"));
    }

    public static TheoryData<string> InvalidReports() => new()
    {
        """{"jobId":"0190b7d2-0000-7000-8000-000000000000","mode":"sse","kind":"exploded"}""",
        """{"jobId":"0190b7d2-0000-7000-8000-000000000000","mode":"carrier-pigeon","kind":"fallback"}""",
        """{"mode":"sse","kind":"fallback"}""",
        """{"jobId":"not-a-uuid","mode":"sse","kind":"fallback"}""",
        """{"jobId":""",
    };

    [Theory]
    [MemberData(nameof(InvalidReports))]
    public async Task A_report_with_a_bad_kind_mode_or_job_is_400(string body)
    {
        using var visitor = app.CreateClient();

        var response = await ChatRequests.PostRawAsync(visitor, "/api/delivery/reports", body);

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_report_that_is_not_json_is_415()
    {
        using var visitor = app.CreateClient();

        var response = await ChatRequests.PostRawAsync(visitor, "/api/delivery/reports", "kind=fallback", "application/x-www-form-urlencoded");

        await ProblemAssert.IsAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_report_over_16_KiB_is_413()
    {
        using var visitor = app.CreateClient();
        var body = $$"""{"jobId":"0190b7d2-0000-7000-8000-000000000000","mode":"sse","kind":"fallback","detail":"{{new string('x', 17 * 1024)}}"}""";

        var response = await ChatRequests.PostRawAsync(visitor, "/api/delivery/reports", body);

        await ProblemAssert.IsAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    private async Task<long> ReportsAboutAsync(Guid jobId, string kind) =>
        (long)(await app.ScalarAsync("SELECT count(*) FROM delivery_reports WHERE job_id = @job AND kind = @kind", ("job", jobId), ("kind", kind)))!;
}
