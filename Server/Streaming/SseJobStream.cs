using System.Text.Json;
using BlazorJobs.Server.Delivery;
using BlazorJobs.Server.Jobs;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Streaming;

/// <summary>
/// Streams one job's events: the stored ones after <c>Last-Event-ID</c> first, then live ones from the
/// EventHub, with no gap and no duplicate (the subscription is taken before the replay is read, and
/// events are de-duplicated by their sequence number). Ends after the terminal event of the job's last
/// attempt: a <c>cancelled</c> or <c>failed</c> that a retry has since superseded is not sent, so a
/// client that stops at a terminal event (a native <c>EventSource</c>) gets the final answer.
/// </summary>
public sealed class SseJobStream(
    EventHub hub,
    JobEventReader events,
    EventStreamLoop loop,
    StoreReadRetry retry,
    StreamMetrics metrics,
    DeliveryTracker deliveries,
    IOptions<StreamOptions> options,
    TimeProvider time)
{
    public const string EndpointName = "job";

    public async Task RunAsync(HttpContext context, Guid jobId, int lastEventId, DateTimeOffset? credentialsExpireAt, CancellationToken deliveryDisabled)
    {
        var aborted = context.RequestAborted;
        using var subscription = hub.Subscribe(HubTopic.Job(jobId));
        var writer = await SseResponseWriter.StartAsync(context, options.Value, metrics, EndpointName);
        metrics.StreamOpened(EndpointName);
        try
        {
            var lastSent = lastEventId;

            async Task<bool> WriteAsync(int seq, string type, string data)
            {
                await writer.WriteEventAsync(type, data, seq.ToString(System.Globalization.CultureInfo.InvariantCulture), aborted);
                lastSent = seq;
                if (type == JobEventType.Completed)
                {
                    RecordCompletionLatency(data);
                    deliveries.Delivered(jobId);
                }
                return JobEventType.IsTerminal(type);
            }

            var timeoutAt = time.GetUtcNow().AddSeconds(options.Value.TimeoutSeconds);
            var heartbeat = TimeSpan.FromSeconds(options.Value.HeartbeatSeconds);

            async Task<bool> ReplayAsync()
            {
                var stored = await retry.ReadAsync(
                    ct => events.ReadJobEventsAsync(jobId, lastSent, ct), writer, timeoutAt, heartbeat, loop.Stopping, aborted);
                for (var i = 0; i < stored.Count; i++)
                {
                    // A retry appends its PENDING status in the same transaction that reopens the job, so a
                    // terminal event with anything stored after it belongs to an attempt that was superseded.
                    var superseded = JobEventType.IsTerminal(stored[i].Type) && i < stored.Count - 1;
                    if (superseded)
                    {
                        lastSent = stored[i].Seq;
                        continue;
                    }
                    if (await WriteAsync(stored[i].Seq, stored[i].Type, stored[i].Data))
                    {
                        return true;
                    }
                }
                return false;
            }

            try
            {
                if (await ReplayAsync())
                {
                    return;
                }

                var limits = new StreamLimits(timeoutAt, credentialsExpireAt, deliveryDisabled);
                await loop.RunAsync(subscription, writer, limits, async (message, _) => message switch
                {
                    JobNotice notice when notice.Seq <= lastSent => false,
                    JobNotice { Data: { } data } notice when notice.Seq == lastSent + 1 => await WriteAsync(notice.Seq, notice.Type, data),
                    // Oversized event, a gap, or a listener reconnect: the table is the durable copy.
                    _ => await ReplayAsync(),
                }, aborted);
            }
            catch (StreamInterruptedException)
            {
                // PostgreSQL did not answer before the stream's deadline or the server's shutdown.
                await writer.WriteEventAsync("timeout", "{}", id: null, aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client left; the using above frees the subscription.
        }
        finally
        {
            metrics.StreamClosed(EndpointName);
        }
    }

    private void RecordCompletionLatency(string completedData)
    {
        try
        {
            using var document = JsonDocument.Parse(completedData);
            if (document.RootElement.TryGetProperty("completedAt", out var completedAt) && completedAt.TryGetDateTimeOffset(out var at))
            {
                metrics.TerminalDelivered(time.GetUtcNow() - at);
            }
        }
        catch (JsonException)
        {
            // A metric is not worth failing a delivery for.
        }
    }
}
