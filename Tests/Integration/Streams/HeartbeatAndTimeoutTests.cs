using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>Heartbeats during silence (0.3 s here) and the stream's time limit (1.5 s here) on a job silent for 1 s at a time.</summary>
public sealed class HeartbeatAndTimeoutTests(ShortHeartbeatAndTimeoutFixture app) : IClassFixture<ShortHeartbeatAndTimeoutFixture>
{
    [Fact]
    public async Task Heartbeat_comments_are_written_while_the_job_is_silent()
    {
        using var visitor = app.CreateClient();
        var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is specificity in CSS?");

        await using var stream = await RawStream.OpenAsync(visitor, job.StreamUrl);
        var blocks = await stream.ReadToEndAsync();

        // 1.5 s of a stream whose job says something once a second holds several 0.3 s silences.
        Assert.True(blocks.Count(b => b.IsHeartbeat) >= 2, $"Expected heartbeats in: {Describe(blocks)}");
        Assert.All(blocks.Where(b => b.Lines[0].StartsWith(':')), b => Assert.True(b.IsHeartbeat, Describe([b])));
    }

    [Fact]
    public async Task A_stream_past_its_time_limit_gets_timeout_without_id_then_ends()
    {
        using var visitor = app.CreateClient();
        var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is the cascade in CSS?");

        await using var stream = await RawStream.OpenAsync(visitor, job.StreamUrl);
        var blocks = await stream.ReadToEndAsync();

        var last = blocks[^1];
        Assert.Equal("timeout", last.EventType);
        Assert.Null(last.Id);
        Assert.Equal("{}", last.Data);
        Assert.DoesNotContain(blocks, b => SseTestClient.TerminalTypes.Contains(b.EventType));
    }

    [Fact]
    public async Task After_a_timeout_the_job_goes_on_and_resuming_from_the_last_id_reaches_completed()
    {
        using var visitor = app.CreateClient();
        var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is the difference between em and rem?");
        var received = new List<ReceivedEvent>();
        var timeouts = 0;

        // A client's loop: read until the stream ends, resume from the last id seen, until a terminal event.
        while (received.Count == 0 || !JobEvents.IsTerminal(received[^1]))
        {
            Assert.True(timeouts < 10, "The job never finished.");
            var segment = await SseTestClient.ReadJobStreamAsync(visitor, job.StreamUrl, received.Count == 0 ? null : received[^1].Id);
            if (segment is [.., { Type: "timeout" }])
            {
                timeouts++;
            }
            received.AddRange(segment.Where(e => e.Type != "timeout"));
        }

        Assert.True(timeouts >= 1, "A 3 s job outlives a 1.5 s stream at least once.");
        JobEvents.AssertWholeAnsweredJob(received);
    }

    private static string Describe(IEnumerable<RawBlock> blocks) => string.Join(" / ", blocks.Select(b => string.Join(" | ", b.Lines)));
}
