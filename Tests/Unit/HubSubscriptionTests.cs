using BlazorJobs.Server.Data;
using BlazorJobs.Server.Streaming;

namespace BlazorJobs.Tests.Unit;

/// <summary>How the EventHub's one subscription door routes and bounds what it hands out (no database needed).</summary>
public sealed class HubSubscriptionTests
{
    private static JobNotice Notice(Guid jobId, Guid sessionId, int seq) => new(seq, jobId, seq, sessionId, 1, "PROCESSING", "delta", null);

    [Fact]
    public void A_job_notice_reaches_its_jobs_stream_and_its_sessions_stream_only()
    {
        var registry = new SubscriberRegistry(capacity: 8);
        var (job, session) = (Guid.NewGuid(), Guid.NewGuid());
        using var jobStream = registry.Add(HubTopic.Job(job));
        using var sessionStream = registry.Add(HubTopic.Session(session));
        using var otherJob = registry.Add(HubTopic.Job(Guid.NewGuid()));

        var notice = Notice(job, session, 1);
        registry.Deliver(HubTopic.Job(job), notice);
        registry.Deliver(HubTopic.Session(session), notice);

        Assert.True(jobStream.Reader.TryRead(out var toJob));
        Assert.Same(notice, toJob);
        Assert.True(sessionStream.Reader.TryRead(out var toSession));
        Assert.Same(notice, toSession);
        Assert.False(otherJob.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_stream_that_falls_behind_is_dropped_so_its_client_resumes_from_last_event_id()
    {
        var registry = new SubscriberRegistry(capacity: 2);
        var job = Guid.NewGuid();
        using var stream = registry.Add(HubTopic.Job(job));

        for (var seq = 1; seq <= 3; seq++)
        {
            registry.Deliver(HubTopic.Job(job), Notice(job, Guid.NewGuid(), seq));
        }

        var read = new List<HubMessage>();
        await Assert.ThrowsAsync<SubscriberTooSlowException>(async () =>
        {
            await foreach (var message in stream.Reader.ReadAllAsync())
            {
                read.Add(message);
            }
        });
        Assert.Equal(2, read.Count);
    }

    [Fact]
    public void A_whole_channel_subscriber_keeps_the_newest_notifications_instead_of_being_dropped()
    {
        var registry = new SubscriberRegistry(capacity: 2);
        var topic = HubTopic.Whole(Channels.FeedChanged);
        using var feed = registry.Add(topic);

        foreach (var payload in new[] { "a", "b", "c" })
        {
            registry.Deliver(topic, new ChannelNotice(Channels.FeedChanged, payload));
        }

        var payloads = new List<string>();
        while (feed.Reader.TryRead(out var message))
        {
            payloads.Add(((ChannelNotice)message).Payload);
        }
        Assert.Equal(["b", "c"], payloads);
        Assert.False(feed.Reader.Completion.IsCompleted);
    }

    [Fact]
    public void Only_streams_count_as_subscribers_and_a_disposed_one_is_gone()
    {
        var registry = new SubscriberRegistry(capacity: 8);
        using var worker = registry.Add(HubTopic.Whole(Channels.JobEnqueued));
        var stream = registry.Add(HubTopic.Session(Guid.NewGuid()));
        Assert.Equal(1, registry.StreamCount);

        stream.Dispose();

        Assert.Equal(0, registry.StreamCount);
    }

    [Fact]
    public void A_reconnect_tells_every_subscriber_to_resync()
    {
        var registry = new SubscriberRegistry(capacity: 8);
        using var stream = registry.Add(HubTopic.Job(Guid.NewGuid()));
        using var flags = registry.Add(HubTopic.Whole(Channels.FlagsChanged));

        registry.DeliverToAll(ResyncNeeded.Instance);

        Assert.True(stream.Reader.TryRead(out var toStream) && toStream is ResyncNeeded);
        Assert.True(flags.Reader.TryRead(out var toFlags) && toFlags is ResyncNeeded);
    }
}
