using System.Threading.Channels;

namespace BlazorJobs.Server.Streaming;

/// <summary>
/// One subscriber's view of the <see cref="EventHub"/>: a bounded queue of the notifications for its
/// <see cref="HubTopic"/>. A stream that falls too far behind is dropped (its reader completes with
/// <see cref="SubscriberTooSlowException"/>) rather than letting the server's memory grow without
/// bound; its client resumes from <c>Last-Event-ID</c>. A whole-channel subscriber loses its oldest
/// notifications instead. Dispose it to unsubscribe.
/// </summary>
public sealed class HubSubscription : IDisposable
{
    private readonly Channel<HubMessage> _channel;
    private readonly Action<HubSubscription> _unsubscribe;
    private int _disposed;

    internal HubSubscription(HubTopic topic, int capacity, Action<HubSubscription> unsubscribe)
    {
        Topic = topic;
        _unsubscribe = unsubscribe;
        _channel = Channel.CreateBounded<HubMessage>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = topic.IsStream ? BoundedChannelFullMode.Wait : BoundedChannelFullMode.DropOldest,
        });
    }

    public HubTopic Topic { get; }

    public ChannelReader<HubMessage> Reader => _channel.Reader;

    /// <summary>Called on the listener's thread: must never block.</summary>
    internal void Deliver(HubMessage message)
    {
        if (!_channel.Writer.TryWrite(message))
        {
            _channel.Writer.TryComplete(new SubscriberTooSlowException());
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _channel.Writer.TryComplete();
            _unsubscribe(this);
        }
    }
}

/// <summary>The subscriber did not keep up with its notifications and was dropped.</summary>
public sealed class SubscriberTooSlowException() : Exception("The client did not keep up with its events and was disconnected; it can resume from Last-Event-ID.");
