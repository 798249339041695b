using System.Collections.Concurrent;

namespace BlazorJobs.Server.Streaming;

/// <summary>Subscriptions by key (a job id or a session id), read without locks on the listener's thread.</summary>
internal sealed class SubscriberRegistry(int capacity)
{
    private readonly ConcurrentDictionary<Guid, HubSubscription[]> _byKey = new();
    private readonly Lock _writeLock = new();

    public int Count => _byKey.Values.Sum(s => s.Length);

    public HubSubscription Add(Guid key)
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
            if (!_byKey.TryGetValue(subscription.Key, out var existing))
            {
                return;
            }
            var remaining = existing.Where(s => s != subscription).ToArray();
            if (remaining.Length == 0)
            {
                _byKey.TryRemove(subscription.Key, out _);
            }
            else
            {
                _byKey[subscription.Key] = remaining;
            }
        }
    }

    public void Deliver(Guid key, HubMessage message)
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
