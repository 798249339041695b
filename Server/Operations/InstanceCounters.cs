using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using BlazorJobs.Server.Jobs;

namespace BlazorJobs.Server.Operations;

/// <summary>
/// This instance's running totals for its heartbeat row, read from the same instruments <c>/metrics</c>
/// exports (open streams by endpoint, jobs finished by status, notifications), so the dashboard and
/// Prometheus cannot disagree and no stream or job class has to report twice.
/// </summary>
/// <remarks>
/// Only this app's meter is followed (its <see cref="IMeterFactory"/> is the meter's scope): several apps
/// in one process (the tests) each count their own.
/// </remarks>
public sealed class InstanceCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _openStreams = new();
    private readonly ConcurrentDictionary<string, long> _finished = new();
    private readonly TimeProvider _time;
    private long _notifications;
    private long _lastNotificationTicks;

    public InstanceCounters(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Meter.Name == JobMetrics.MeterName
                && instrument.Name is OpenStreams or JobsFinished or Notifications)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    private const string OpenStreams = "blazorjobs.sse.open_streams";
    private const string JobsFinished = "blazorjobs.jobs.finished";
    private const string Notifications = "blazorjobs.listener.notifications";

    public IReadOnlyDictionary<string, long> OpenStreamsByKind => Copy(_openStreams);

    public IReadOnlyDictionary<string, long> JobsFinishedByStatus => Copy(_finished);

    public long NotificationsReceived => Interlocked.Read(ref _notifications);

    public DateTimeOffset? LastNotificationAt =>
        Interlocked.Read(ref _lastNotificationTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch (instrument.Name)
        {
            case OpenStreams:
                _openStreams.AddOrUpdate(Tag(tags, "endpoint"), value, (_, old) => old + value);
                break;
            case JobsFinished:
                _finished.AddOrUpdate(Tag(tags, "status"), value, (_, old) => old + value);
                break;
            case Notifications:
                Interlocked.Add(ref _notifications, value);
                Interlocked.Exchange(ref _lastNotificationTicks, _time.GetUtcNow().UtcTicks);
                break;
        }
    }

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString() ?? "unknown";
            }
        }
        return "unknown";
    }

    private static IReadOnlyDictionary<string, long> Copy(ConcurrentDictionary<string, long> counts) =>
        new SortedDictionary<string, long>(counts.ToDictionary(c => c.Key, c => c.Value), StringComparer.Ordinal);

    public void Dispose() => _listener.Dispose();
}
