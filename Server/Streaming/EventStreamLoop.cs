using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Streaming;

/// <summary>When a stream must stop waiting, besides its own terminal event.</summary>
/// <param name="TimeoutAt">Send <c>timeout</c> then (job streams), or null to wait as long as the client stays.</param>
/// <param name="CredentialsExpireAt">Send <c>reauthenticate</c> then (tutor streams: the bearer token's expiry).</param>
/// <param name="DeliveryDisabled">Cancelled when the kill switch goes on: send <c>delivery_disabled</c>.</param>
public sealed record StreamLimits(DateTimeOffset? TimeoutAt, DateTimeOffset? CredentialsExpireAt, CancellationToken DeliveryDisabled);

/// <summary>
/// The wait loop shared by job, session and live feed streams: hands each message to the stream, writes
/// heartbeats during silence, and ends the stream on its deadlines, on the kill switch, when the
/// client leaves, when the subscriber was dropped for being too slow, or when the server stops. A
/// waiting stream makes no database query: it only reads its in-memory subscription.
/// </summary>
/// <remarks>
/// On shutdown a stream ends at once with what its client resumes from (a job stream's <c>timeout</c>,
/// a session stream's closed response), so the host's shutdown timeout is spent finishing jobs, not
/// waiting for idle streams that would otherwise be cut off when it runs out.
/// </remarks>
public sealed class EventStreamLoop(IOptions<StreamOptions> options, IHostApplicationLifetime lifetime, TimeProvider time)
{
    /// <summary>Cancelled when the server begins to stop.</summary>
    public CancellationToken Stopping => lifetime.ApplicationStopping;

    /// <param name="handle">Writes what a hub message means for this stream; returns true when the stream is finished.</param>
    public Task RunAsync(
        HubSubscription subscription,
        SseResponseWriter writer,
        StreamLimits limits,
        Func<HubMessage, CancellationToken, Task<bool>> handle,
        CancellationToken requestAborted) =>
        RunAsync(subscription.Reader, writer, limits, handle, requestAborted);

    /// <param name="messages">What the stream waits on: a hub subscription's queue, or the live feed's.</param>
    /// <param name="handle">Writes what a message means for this stream; returns true when the stream is finished.</param>
    /// <remarks>
    /// One read of <paramref name="messages"/> stays pending across heartbeats and is raced against the stream's
    /// <see cref="StreamAlarm"/>, so an idle stream allocates almost nothing per heartbeat and throws nothing: no
    /// cancellation source per wait, no timer per wait, no <see cref="OperationCanceledException"/> per deadline.
    /// The read takes no token (the channel then reuses one waiter per reader); it ends with the subscription,
    /// which the caller disposes when this returns.
    /// </remarks>
    public async Task RunAsync<TMessage>(
        ChannelReader<TMessage> messages,
        SseResponseWriter writer,
        StreamLimits limits,
        Func<TMessage, CancellationToken, Task<bool>> handle,
        CancellationToken requestAborted)
    {
        var heartbeat = TimeSpan.FromSeconds(options.Value.HeartbeatSeconds);
        var lastWrite = time.GetUtcNow();
        using var alarm = new StreamAlarm(time, requestAborted, limits.DeliveryDisabled, Stopping);
        Task<bool>? readable = null;
        while (true)
        {
            requestAborted.ThrowIfCancellationRequested();
            var now = time.GetUtcNow();
            if (limits.TimeoutAt <= now || (Stopping.IsCancellationRequested && limits.TimeoutAt is not null))
            {
                await writer.WriteEventAsync("timeout", "{}", id: null, requestAborted);
                return;
            }
            if (Stopping.IsCancellationRequested)
            {
                return; // a stream without a timeout ends with a closed response: its client reconnects
            }
            if (limits.CredentialsExpireAt <= now)
            {
                await writer.WriteEventAsync("reauthenticate", "{}", id: null, requestAborted);
                return;
            }
            if (lastWrite + heartbeat <= now)
            {
                await writer.WriteHeartbeatAsync(requestAborted);
                lastWrite = now;
                continue;
            }
            if (limits.DeliveryDisabled.IsCancellationRequested)
            {
                await writer.WriteEventAsync("delivery_disabled", "{}", id: null, requestAborted);
                return;
            }

            readable ??= messages.WaitToReadAsync(CancellationToken.None).AsTask();
            if (!readable.IsCompleted)
            {
                await Task.WhenAny(readable, alarm.Arm(NextDeadline(lastWrite + heartbeat, limits) - now));
                if (!readable.IsCompleted)
                {
                    continue; // a deadline, or the stream must end: the top of the loop acts on it
                }
            }

            var ready = readable;
            readable = null;
            try
            {
                if (!await ready)
                {
                    return; // unsubscribed
                }
            }
            catch (SubscriberTooSlowException)
            {
                return; // the client resumes from Last-Event-ID
            }

            // Silence is what the client sees: a notification this stream does not forward (a session
            // stream skips deltas, a job stream skips duplicates) must not hold the heartbeat back.
            var writesBefore = writer.Writes;
            while (messages.TryRead(out var message))
            {
                if (await handle(message, requestAborted))
                {
                    return;
                }
            }
            if (writer.Writes != writesBefore)
            {
                lastWrite = time.GetUtcNow();
            }
        }
    }

    /// <summary>The earliest of the next heartbeat and the stream's own deadlines.</summary>
    private static DateTimeOffset NextDeadline(DateTimeOffset heartbeatAt, StreamLimits limits)
    {
        var next = heartbeatAt;
        if (limits.TimeoutAt < next)
        {
            next = limits.TimeoutAt.Value;
        }
        if (limits.CredentialsExpireAt < next)
        {
            next = limits.CredentialsExpireAt.Value;
        }
        return next;
    }
}
