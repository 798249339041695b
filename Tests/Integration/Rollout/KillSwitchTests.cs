using System.Net;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Rollout;

/// <summary>Jobs that take long enough for a stream to be open when the switch is pulled.</summary>
public sealed class SlowJobsFixture : AppFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Tutor:Provider", "Synthetic"),
        new("Tutor:Synthetic:DurationMs", "4000"),
        new("Tutor:Synthetic:Deltas", "4"),
    ];
}

/// <summary>The kill switch: everyone polls, open streams are told to switch, new streams are refused, no job is lost.</summary>
public sealed class KillSwitchTests(SlowJobsFixture app) : IClassFixture<SlowJobsFixture>
{
    [Fact]
    public async Task Pulling_the_switch_closes_open_streams_with_delivery_disabled_and_the_job_is_still_answered()
    {
        using var admin = await RolloutClient.AdminAsync(app);
        await RolloutClient.PutAsync(admin, 100, 0, 0, killSwitch: false);
        using var visitor = app.CreateClient();
        var accepted = await ChatApi.AskAsync(visitor, ChatApi.Landing, "How do promises work?");
        using var stream = await SseTestClient.OpenAsync(visitor, accepted.StreamUrl);
        var reading = SseTestClient.ReadAsync(stream, timeout: TimeSpan.FromSeconds(15));

        await RolloutClient.PutAsync(admin, 100, 0, 0, killSwitch: true);
        var events = await reading;
        var refused = await visitor.GetAsync(accepted.StreamUrl);
        var delivery = await RolloutClient.DeliveryAsync(visitor);
        var job = await ChatApi.WaitForTerminalAsync(visitor, accepted.PollUrl);
        await RolloutClient.PutAsync(admin, 100, 0, 0, killSwitch: false);

        Assert.Equal("delivery_disabled", events[^1].Type);
        Assert.Null(events[^1].Id);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.EndsWith("delivery-disabled", (await refused.Content.ReadFromJsonAsync<Problem>(Json.Options))!.Type);
        Assert.Equal(new DeliveryBody("polling", true), delivery);
        Assert.Equal("COMPLETED", job.Status);
    }

    [Fact]
    public async Task Releasing_the_switch_gives_streams_back()
    {
        using var admin = await RolloutClient.AdminAsync(app);
        using var visitor = app.CreateClient();
        await RolloutClient.PutAsync(admin, 100, 0, 0, killSwitch: true);
        await RolloutClient.PutAsync(admin, 100, 0, 0, killSwitch: false);

        var accepted = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is an index?");
        var events = await SseTestClient.ReadJobStreamAsync(visitor, accepted.StreamUrl);

        Assert.Equal("sse", accepted.Delivery);
        Assert.Equal("completed", events[^1].Type);
    }
}
