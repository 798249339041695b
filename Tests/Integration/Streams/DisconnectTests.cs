using System.Net;
using System.Net.Http.Json;
using BlazorJobs.Server.Streaming;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>A client that goes away mid-stream: the server frees what the stream held, at once.</summary>
public sealed class DisconnectTests(OneStreamPerCallerFixture app) : IClassFixture<OneStreamPerCallerFixture>
{
    [Fact]
    public async Task A_client_that_leaves_mid_stream_leaves_no_subscriber_behind()
    {
        var hub = app.Service<EventHub>();
        using var learner = await app.CreateNewLearnerClientAsync();
        using var tab = StreamClients.SameLearnerAs(app, learner);
        var job = await ChatApi.AskAsync(learner, ChatApi.Tutor, "What is a flex container?");
        var stream = await LiveStream.OpenAsync(tab, job.StreamUrl);
        await stream.ReadUntilAsync(e => e.Type == "delta");
        Assert.Equal(1, hub.SubscriberCount);

        await stream.DisposeAsync();

        await Eventually.HoldsAsync(() => hub.SubscriberCount == 0, "the subscription of the stream that was left is gone");
        // Still running: the subscription went because the client left, not because the job ended.
        Assert.Equal("PROCESSING", (await learner.GetFromJsonAsync<PollBody>(job.PollUrl, Json.Options))!.Status);
    }

    [Fact]
    public async Task A_client_that_leaves_frees_its_open_stream_slot()
    {
        using var learner = await app.CreateNewLearnerClientAsync();
        using var firstTab = StreamClients.SameLearnerAs(app, learner);
        using var secondTab = StreamClients.SameLearnerAs(app, learner);
        var job = await ChatApi.AskAsync(learner, ChatApi.Tutor, "What is a grid template?");
        var first = await LiveStream.OpenAsync(firstTab, job.StreamUrl);
        await first.NextAsync();
        using (var refused = await SseTestClient.OpenAsync(secondTab, job.StreamUrl))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode); // the one slot is taken
        }

        await first.DisposeAsync();

        await Eventually.HoldsAsync(async () =>
        {
            using var response = await SseTestClient.OpenAsync(secondTab, job.StreamUrl);
            return response.StatusCode == HttpStatusCode.OK;
        }, "a new stream of the same learner is accepted");
    }
}
