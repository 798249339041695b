using System.Text.Json;
using System.Threading.Channels;
using BlazorJobs.Server.Data;
using BlazorJobs.Server.Streaming;

namespace BlazorJobs.Server.Feed;

/// <summary>
/// New activity, as it lands: source tables notify <c>feed_changed</c> with the new rows' keys (a
/// statement trigger, one notification per insert statement). This process looks the items up once
/// — one query per notification, however many streams are open — drops the page cache, and hands
/// the items to every open live feed stream.
/// </summary>
public sealed partial class FeedLiveHub : IHostedService
{
    private readonly EventHub _hub;
    private readonly IFeedSourceCatalog _catalog;
    private readonly FeedQueries _queries;
    private readonly FeedCache _cache;
    private readonly ILogger<FeedLiveHub> _logger;
    private readonly Channel<string> _notifications = Channel.CreateBounded<string>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Lock _lock = new();
    private readonly List<Channel<LiveFeedBatch>> _subscribers = [];
    private HubSubscription? _feedChanges;
    private Task? _receiver;
    private Task? _pump;
    private readonly CancellationTokenSource _stopping = new();

    public FeedLiveHub(EventHub hub, IFeedSourceCatalog catalog, FeedQueries queries, FeedCache cache, ILogger<FeedLiveHub> logger)
    {
        (_hub, _catalog, _queries, _cache, _logger) = (hub, catalog, queries, cache, logger);
    }

    public int SubscriberCount
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count;
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _feedChanges = _hub.Subscribe(HubTopic.Whole(Channels.FeedChanged));
        _receiver = Task.Run(() => ReceiveAsync(_feedChanges), CancellationToken.None);
        _pump = Task.Run(() => PumpAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _feedChanges?.Dispose(); // completes the reader: the receiving loop ends
        await _stopping.CancelAsync();
        foreach (var loop in new[] { _receiver, _pump })
        {
            if (loop is not null)
            {
                await loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>New items for one live stream; a stream that falls behind loses the oldest batches (it can reload the page).</summary>
    public FeedSubscription Subscribe()
    {
        var channel = Channel.CreateBounded<LiveFeedBatch>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_lock)
        {
            _subscribers.Add(channel);
        }
        return new FeedSubscription(channel.Reader, () =>
        {
            lock (_lock)
            {
                _subscribers.Remove(channel);
            }
        });
    }

    /// <summary>
    /// Drops the page cache as soon as activity lands (or the listener reconnects: something may have landed
    /// unheard), and queues the new rows' keys for <see cref="PumpAsync"/>, whose look-ups must not hold that back.
    /// </summary>
    private async Task ReceiveAsync(HubSubscription changes)
    {
        await foreach (var message in changes.Reader.ReadAllAsync())
        {
            _cache.ActivityLanded();
            if (message is ChannelNotice notice)
            {
                _notifications.Writer.TryWrite(notice.Payload);
            }
        }
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var payload in _notifications.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    var items = await LookUpAsync(payload, cancellationToken);
                    if (items.Count > 0)
                    {
                        Broadcast(LiveFeedBatch.Of(items));
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogLookupFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<IReadOnlyList<FeedItem>> LookUpAsync(string payload, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(payload);
        var type = document.RootElement.GetProperty("t").GetString();
        var source = _catalog.Sources.FirstOrDefault(s => s.Type == type);
        if (source is null || !document.RootElement.TryGetProperty("k", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            return [];
        }
        var keyList = keys.EnumerateArray().Select(k => k.ValueKind == JsonValueKind.String ? k.GetString()! : k.GetRawText()).ToList();
        var items = await _queries.ByKeysAsync(source, keyList, cancellationToken);
        return items.Order(FeedOrder.NewestFirst).ToList();
    }

    private void Broadcast(LiveFeedBatch batch)
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(batch);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look up new feed activity; open feeds catch up on their next page load")]
    private partial void LogLookupFailed(Exception ex);
}

/// <summary>A live feed stream's view of new activity. Dispose to leave.</summary>
public sealed class FeedSubscription(ChannelReader<LiveFeedBatch> reader, Action unsubscribe) : IDisposable
{
    public ChannelReader<LiveFeedBatch> Reader => reader;

    public void Dispose() => unsubscribe();
}
