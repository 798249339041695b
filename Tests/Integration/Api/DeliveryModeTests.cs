using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>api.md: <c>Delivery:DefaultMode</c> gives one mode to everyone (here polling), in the mode endpoint and in every enqueue.</summary>
public sealed class DeliveryModeTests(PollingModeFixture app) : IClassFixture<PollingModeFixture>
{
    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task The_configured_default_mode_is_every_callers_mode(string bot)
    {
        using var caller = await app.CallerAsync(bot);

        var delivery = await caller.GetFromJsonAsync<DeliveryBody>("/api/delivery", Json.Options);

        Assert.Equal(new DeliveryBody("polling", false), delivery);
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task An_enqueue_tells_the_caller_to_poll_and_polling_gets_the_answer(string bot)
    {
        using var caller = await app.CallerAsync(bot);

        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?");

        Assert.Equal("polling", accepted.Delivery);
        Assert.Equal("COMPLETED", (await ChatApi.WaitForTerminalAsync(caller, accepted.PollUrl)).Status);
    }
}
