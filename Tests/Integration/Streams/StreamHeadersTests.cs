using System.Net;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;

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
