using System.Collections.Concurrent;

namespace BlazorJobs.Server.Streaming;

/// <summary>Subscriptions by topic, read without locks on the listener's thread.</summary>
internal sealed class SubscriberRegistry(int capacity)
{
    private readonly ConcurrentDictionary<HubTopic, HubSubscription[]> _byKey = new();
    private readonly Lock _writeLock = new();

    /// <summary>Open stream subscriptions (the server's own whole-channel ones are not counted).</summary>
    public int StreamCount => _byKey.Where(pair => pair.Key.IsStream).Sum(pair => pair.Value.Length);

    /// <summary>Subscriptions to one topic (a caller's events streams, for tests and operators).</summary>
    public int CountOf(HubTopic key) => _byKey.TryGetValue(key, out var subscribers) ? subscribers.Length : 0;

    public HubSubscription Add(HubTopic key)
    {
        var subscription = new HubSubscription(key, capacity, Remove);
        lock (_writeLock)
        {
            _byKey[key] = _byKey.TryGetValue(key, out var existing) ? [.. existing, subscription] : [subscription];
        }
        return subscription;
    }

    private void Remove(HubSubscription subscription)
    {
        lock (_writeLock)
        {
            if (!_byKey.TryGetValue(subscription.Topic, out var existing))
            {
                return;
            }
            var remaining = existing.Where(s => s != subscription).ToArray();
            if (remaining.Length == 0)
            {
                _byKey.TryRemove(subscription.Topic, out _);
            }
            else
            {
                _byKey[subscription.Topic] = remaining;
            }
        }
    }

    public void Deliver(HubTopic key, HubMessage message)
    {
        if (_byKey.TryGetValue(key, out var subscribers))
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Deliver(message);
            }
        }
    }

    public void DeliverToAll(HubMessage message)
    {
        foreach (var subscribers in _byKey.Values)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Deliver(message);
            }
        }
    }
}
