using System.Globalization;
using System.Text.Json;
using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Feed;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Jobs;
using BlazorJobs.Server.Streaming;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Events;

/// <summary>
/// A caller's one events stream (<c>GET /api/events</c>): <c>connected</c>, then a <c>request_update</c> for every
/// state change of any job the caller owns, in any session (id = the job event's global id, so
/// <c>Last-Event-ID</c> resumes across all of them), and the live feed's new items (<c>feed_items</c>, no id).
/// One of these per browser replaces a session stream and a feed stream per tab; open until the client leaves.
/// </summary>
public sealed class SseCallerStream(
    EventHub hub,
    FeedLiveHub feed,
    JobEventReader events,
    EventStreamLoop loop,
    StoreReadRetry retry,
    StreamMetrics metrics,
    IOptions<StreamOptions> options)
{
    public const string EndpointName = "events";

    /// <param name="callerKind">"learner" or "visitor": told to the client in <c>connected</c>.</param>
    public async Task RunAsync(HttpContext context, Caller caller, string callerKind, long? lastEventId, DateTimeOffset? credentialsExpireAt, CancellationToken deliveryDisabled)
    {
        var aborted = context.RequestAborted;
        // Both subscriptions before the first read, so nothing falls between the read and the live notices.
        using var jobs = hub.Subscribe(HubTopic.Owner(caller.OwnerKey));
        using var feedItems = feed.Subscribe();
        await using var messages = new MergedStreamMessages(jobs.Reader, feedItems.Reader, aborted);
        // Without Last-Event-ID the client has just loaded what it shows, so only what comes after is news.
        var replayAfter = lastEventId ?? await events.ReadOwnerLatestIdAsync(caller.OwnerKey, aborted);
        var writer = await SseResponseWriter.StartAsync(context, options.Value, metrics, EndpointName);
        metrics.StreamOpened(EndpointName);
        try
        {
            await writer.WriteEventAsync("connected", Serialize(new { caller = callerKind }), id: null, aborted);
            var sent = new RecentIds();

            async Task WriteUpdateAsync(long globalId, Guid sessionId, Guid jobId, string status, int attempt)
            {
                if (!sent.Add(globalId))
                {
                    return;
                }
                replayAfter = Math.Max(replayAfter, globalId);
                var update = new { sessionId, jobId, status, attempt, hasResult = status == JobStatus.Completed, hasError = status == JobStatus.Failed };
                await writer.WriteEventAsync("request_update", Serialize(update), globalId.ToString(CultureInfo.InvariantCulture), aborted);
            }

            async Task ReplayAsync()
            {
                var updates = await retry.ReadAsync(
                    ct => events.ReadOwnerUpdatesAsync(caller.OwnerKey, replayAfter, ct), writer, giveUpAt: null,
                    TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), loop.Stopping, aborted);
                foreach (var (sessionId, stored) in updates)
                {
                    var (status, attempt) = SseSessionStream.StateAfter(stored);
                    await WriteUpdateAsync(stored.GlobalId, sessionId, stored.JobId, status, attempt);
                }
            }

            if (lastEventId is not null)
            {
                await ReplayAsync();
            }
            var limits = new StreamLimits(TimeoutAt: null, credentialsExpireAt, deliveryDisabled);
            await loop.RunAsync(messages.Reader, writer, limits, async (message, cancellationToken) =>
            {
                switch (message)
                {
                    case JobNotice { Type: JobEventType.Progress or JobEventType.Delta }:
                        break;
                    case JobNotice notice when notice.OwnerKey == caller.OwnerKey: // the topic is a hash of the key
                        await WriteUpdateAsync(notice.GlobalId, notice.SessionId, notice.JobId, notice.Status, notice.Attempt);
                        break;
                    case ResyncNeeded:
                        await ReplayAsync();
                        break;
                    case LiveFeedBatch batch:
                        await writer.WriteEventAsync("feed_items", batch.Json, id: null, cancellationToken);
                        break;
                }
                return false;
            }, aborted);
        }
        catch (StreamInterruptedException)
        {
            // The server is stopping while PostgreSQL is away: the closed response is the client's cue to reconnect.
        }
        catch (SubscriberTooSlowException)
        {
            // Dropped for not keeping up: the client resumes from Last-Event-ID.
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client left.
        }
        finally
        {
            metrics.StreamClosed(EndpointName);
        }
    }

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, JsonDefaults.Options);
}
