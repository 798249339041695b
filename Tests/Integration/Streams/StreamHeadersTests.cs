using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>What a job stream's response looks like before any news: the worker is off, so the job stays PENDING.</summary>
public sealed class StreamHeadersTests(PausedWorkerFixture app) : IClassFixture<PausedWorkerFixture>
{
    [Fact]
    public async Task Stream_is_an_uncached_unbuffered_uncompressed_event_stream()
    {
        using var visitor = app.CreateClient();
        var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is CSS grid?");
        using var request = new HttpRequestMessage(HttpMethod.Get, job.StreamUrl);
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");

        using var response = await visitor.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        // As sent (the typed CacheControl header re-orders its directives).
        Assert.Equal("no-cache, no-transform", response.Headers.NonValidated["Cache-Control"].ToString());
        Assert.Equal("no", Assert.Single(response.Headers.GetValues("X-Accel-Buffering")));
        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Every_stream_announces_the_silence_limit_the_delivery_endpoint_gives()
    {
        using var visitor = app.CreateClient();
        var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is a media query?");
        var delivery = (await visitor.GetFromJsonAsync<DeliverySilenceLimit>("/api/delivery", Json.Options))!;

        foreach (var url in new[] { job.StreamUrl, "/api/feed/stream" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("text/event-stream");
            using var response = await visitor.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(delivery.HeartbeatTimeoutMs.ToString(CultureInfo.InvariantCulture),
                Assert.Single(response.Headers.GetValues("Heartbeat-Timeout-Ms")));
        }
    }

    [Fact]
    public async Task The_retry_field_arrives_at_once_before_the_job_has_news()
    {
        using var visitor = app.CreateClient();
        var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is the box model?");

        await using var stream = await RawStream.OpenAsync(visitor, job.StreamUrl);
        var first = await stream.NextAsync(TimeSpan.FromSeconds(5));
        var second = await stream.NextAsync(TimeSpan.FromSeconds(5));

        Assert.Matches(@"^retry: \d+$", Assert.Single(first!.Lines));
        Assert.Equal(("status", "1"), (second!.EventType, second.Id));
        Assert.Equal(new StatusData("PENDING", 1), Json.Parse<StatusData>(second.Data!));
        // Nothing happened to the job: the bytes were sent without waiting for news.
        Assert.Equal("PENDING", (await visitor.GetFromJsonAsync<PollBody>(job.PollUrl, Json.Options))!.Status);
    }
}
