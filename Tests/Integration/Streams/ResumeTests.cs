using System.Globalization;
using System.Net;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>Reconnecting with <c>Last-Event-ID</c>: exactly the events after it, no gap, no duplicate.</summary>
public sealed class ResumeTests(StreamingJobsFixture app) : IClassFixture<StreamingJobsFixture>
{
    [Fact]
    public async Task Resume_from_every_event_of_a_finished_job_sends_exactly_the_events_after_it()
    {
        using var visitor = app.CreateClient();
        var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is a closure?");
        var all = await SseTestClient.ReadJobStreamAsync(visitor, job.StreamUrl);
        JobEvents.AssertWholeAnsweredJob(all);

        for (var lastSeen = 0; lastSeen < all.Count; lastSeen++)
        {
            var resumed = await SseTestClient.ReadJobStreamAsync(visitor, job.StreamUrl, lastSeen.ToString(CultureInfo.InvariantCulture));

            Assert.Equal(all.Skip(lastSeen), resumed);
        }
    }

    [Fact]
    public async Task Resume_at_or_past_the_terminal_event_of_a_finished_job_is_204()
    {
        using var visitor = app.CreateClient();
        var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is hoisting?");
        var all = await SseTestClient.ReadJobStreamAsync(visitor, job.StreamUrl);
        var terminalId = JobEvents.IdOf(all[^1]);

        foreach (var lastEventId in new[] { terminalId, terminalId + 1, terminalId + 1000 })
        {
            using var response = await SseTestClient.OpenAsync(visitor, job.StreamUrl, lastEventId.ToString(CultureInfo.InvariantCulture));

            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("3x")]
    [InlineData("99999999999999999999")]
    public async Task A_malformed_last_event_id_is_400(string lastEventId)
    {
        using var visitor = app.CreateClient();
        var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is a promise?");

        using var response = await SseTestClient.OpenAsync(visitor, job.StreamUrl, lastEventId);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Resume_mid_job_continues_with_no_gap_and_no_duplicate()
    {
        using var visitor = app.CreateClient();
        var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is the difference between let and var?");
        List<ReceivedEvent> before;
        await using (var first = await LiveStream.OpenAsync(visitor, job.StreamUrl))
        {
            before = await first.ReadUntilAsync(e => e.Type == "delta");
            before.AddRange(await first.ReadAsync(2));
        }
        Assert.DoesNotContain(before, JobEvents.IsTerminal);

        var after = await SseTestClient.ReadJobStreamAsync(visitor, job.StreamUrl, before[^1].Id);

        JobEvents.AssertConsecutiveIds(after, JobEvents.IdOf(before[^1]) + 1);
        JobEvents.AssertWholeAnsweredJob([.. before, .. after]);
    }
}
