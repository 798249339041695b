using System.Net;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>api.md, the kill switch (forced on here by <c>Delivery:KillSwitch=true</c>): everyone polls, new streams are refused.</summary>
public sealed class KillSwitchTests(KillSwitchFixture app) : IClassFixture<KillSwitchFixture>
{
    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task Everyone_is_told_to_poll_and_that_the_switch_is_on(string bot)
    {
        using var caller = await app.CallerAsync(bot);

        var delivery = await caller.GetFromJsonAsync<DeliveryBody>("/api/delivery", Json.Options);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?");

        Assert.Equal(new DeliveryBody("polling", true), delivery);
        Assert.Equal("polling", accepted.Delivery);
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task A_stream_request_is_503_delivery_disabled_and_the_job_can_still_be_polled(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?");

        using var stream = await SseTestClient.OpenAsync(caller, accepted.StreamUrl);

        await ProblemAssert.IsRetryableAsync(stream, HttpStatusCode.ServiceUnavailable, "delivery-disabled");
        Assert.Equal("COMPLETED", (await ChatApi.WaitForTerminalAsync(caller, accepted.PollUrl)).Status);
    }

    [Fact]
    public async Task A_session_stream_request_is_503_delivery_disabled()
    {
        using var learner = await app.LearnerAsync();
        var accepted = await ChatApi.AskAsync(learner, ChatApi.Tutor, "What is flexbox?");

        using var stream = await SseTestClient.OpenAsync(learner, $"{ChatApi.Tutor}/sessions/{accepted.SessionId}/stream");

        await ProblemAssert.IsRetryableAsync(stream, HttpStatusCode.ServiceUnavailable, "delivery-disabled");
    }
}
