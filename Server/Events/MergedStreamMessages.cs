using System.Threading.Channels;
using BlazorJobs.Server.Feed;
using BlazorJobs.Server.Streaming;

namespace BlazorJobs.Server.Events;

/// <summary>
/// One queue for a caller's events stream, fed by its two sources: the <see cref="EventHub"/> subscription (job
/// notices, re-syncs) and the live feed's. The stream's wait loop reads only this, so it waits on one thing.
/// </summary>
/// <remarks>
/// The queue is small and bounded with back-pressure: a stream that does not keep up holds its forwarders
/// back, its hub subscription then fills and drops it (<see cref="SubscriberTooSlowException"/>, forwarded here
/// as the queue's completion), and its client resumes from <c>Last-Event-ID</c>, as every stream does.
/// </remarks>
internal sealed class MergedStreamMessages : IAsyncDisposable
{
    private const int Capacity = 16;
    private readonly Channel<object> _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(Capacity) { SingleReader = true });
    private readonly CancellationTokenSource _stop;
    private readonly Task[] _forwarders;

    public MergedStreamMessages(ChannelReader<HubMessage> hub, ChannelReader<LiveFeedBatch> feed, CancellationToken aborted)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        _forwarders = [ForwardAsync(hub, _stop.Token), ForwardAsync(feed, _stop.Token)];
    }

    /// <summary>Job notices, <see cref="ResyncNeeded"/> and batches of new feed items, as they arrive.</summary>
    public ChannelReader<object> Reader => _queue.Reader;

    private async Task ForwardAsync<T>(ChannelReader<T> source, CancellationToken cancellationToken) where T : notnull
    {
        try
        {
            await foreach (var message in source.ReadAllAsync(cancellationToken))
            {
                await _queue.Writer.WriteAsync(message, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _queue.Writer.TryComplete(ex); // the hub dropped this subscriber: the stream ends, the client resumes
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_forwarders).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
