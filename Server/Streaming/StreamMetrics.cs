using System.Diagnostics.Metrics;
using BlazorJobs.Server.Jobs;

namespace BlazorJobs.Server.Streaming;

/// <summary>The delivery layer's instruments (exported on <c>/metrics</c>).</summary>
public sealed class StreamMetrics
{
    private readonly UpDownCounter<long> _openStreams;
    private readonly Counter<long> _events;
    private readonly Counter<long> _heartbeats;
    private readonly Counter<long> _notifications;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _polls;
    private readonly Counter<long> _reports;
    private readonly Histogram<double> _completionToTerminal;

    public StreamMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(JobMetrics.MeterName);
        _openStreams = meter.CreateUpDownCounter<long>("blazorjobs.sse.open_streams", description: "Open SSE streams, by endpoint");
        _events = meter.CreateCounter<long>("blazorjobs.sse.events_written", description: "SSE events written, by endpoint and event type");
        _heartbeats = meter.CreateCounter<long>("blazorjobs.sse.heartbeats", description: "SSE heartbeat comments written");
        _notifications = meter.CreateCounter<long>("blazorjobs.listener.notifications", description: "PostgreSQL notifications received by the LISTEN connection");
        _reconnects = meter.CreateCounter<long>("blazorjobs.listener.reconnects", description: "Times the LISTEN connection was re-established");
        _polls = meter.CreateCounter<long>("blazorjobs.poll.requests", description: "Poll requests, by chatbot and outcome");
        _reports = meter.CreateCounter<long>("blazorjobs.delivery.client_reports", description: "Fallbacks and stream errors reported by clients, by mode and kind");
        _completionToTerminal = meter.CreateHistogram<double>("blazorjobs.sse.completion_to_terminal", unit: "ms",
            description: "Time from a job's completion (its completedAt) to its terminal event being written to a stream");
    }

    public void StreamOpened(string endpoint) => _openStreams.Add(1, Tag("endpoint", endpoint));

    public void StreamClosed(string endpoint) => _openStreams.Add(-1, Tag("endpoint", endpoint));

    public void EventWritten(string endpoint, string type) =>
        _events.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("type", type));

    public void HeartbeatWritten(string endpoint) => _heartbeats.Add(1, Tag("endpoint", endpoint));

    public void NotificationReceived() => _notifications.Add(1);

    public void ListenerReconnected() => _reconnects.Add(1);

    public void PollServed(string chatbot, int status) =>
        _polls.Add(1, new KeyValuePair<string, object?>("chatbot", chatbot), new KeyValuePair<string, object?>("status", status));

    public void ClientReported(string mode, string kind) =>
        _reports.Add(1, new KeyValuePair<string, object?>("mode", mode), new KeyValuePair<string, object?>("kind", kind));

    public void TerminalDelivered(TimeSpan sinceCompletion) => _completionToTerminal.Record(sinceCompletion.TotalMilliseconds);

    private static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
