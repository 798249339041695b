using System.Globalization;
using System.Text.Json;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Jobs;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Streaming;

/// <summary>
/// Streams a chat session: <c>connected</c>, then a <c>request_update</c> for every state change of any of
/// its jobs (a question asked in another tab shows up live), with the job event's global id as
/// <c>id:</c> so <c>Last-Event-ID</c> resumes across all the session's jobs. Open until the client leaves.
/// </summary>
public sealed class SseSessionStream(
    EventHub hub,
    JobEventReader events,
    EventStreamLoop loop,
    StoreReadRetry retry,
    StreamMetrics metrics,
    IOptions<StreamOptions> options)
{
    public const string EndpointName = "session";

    public async Task RunAsync(HttpContext context, Guid sessionId, long? lastEventId, DateTimeOffset? credentialsExpireAt, CancellationToken deliveryDisabled)
    {
        var aborted = context.RequestAborted;
        using var subscription = hub.Subscribe(HubTopic.Session(sessionId));
        // Resume point. Without Last-Event-ID the client has just loaded the history, so everything after the
        // session's latest event is new; read after subscribing, so nothing falls between the two. Without this
        // mark a resync had nothing to replay from, and updates made while the listener reconnected were lost.
        var replayAfter = lastEventId ?? await events.ReadSessionLatestIdAsync(sessionId, aborted);
        var writer = await SseResponseWriter.StartAsync(context, options.Value, metrics, EndpointName);
        metrics.StreamOpened(EndpointName);
        try
        {
            await writer.WriteEventAsync("connected", JsonSerializer.Serialize(new { sessionId }, JsonDefaults.Options), id: null, aborted);
            // Global ids are not strictly in commit order across jobs, so de-duplicate by id, not by "greater than".
            var sent = new HashSet<long>();

            async Task WriteAsync(long globalId, Guid jobId, string status, int attempt)
            {
                if (!sent.Add(globalId))
                {
                    return;
                }
                var update = new { jobId, status, attempt, hasResult = status == JobStatus.Completed, hasError = status == JobStatus.Failed };
                await writer.WriteEventAsync("request_update", JsonSerializer.Serialize(update, JsonDefaults.Options), globalId.ToString(CultureInfo.InvariantCulture), aborted);
            }

            async Task ReplayAsync()
            {
                var updates = await retry.ReadAsync(
                    ct => events.ReadSessionUpdatesAsync(sessionId, replayAfter, ct), writer, giveUpAt: null,
                    TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), loop.Stopping, aborted);
                foreach (var stored in updates)
                {
                    var (status, attempt) = StateAfter(stored);
                    await WriteAsync(stored.GlobalId, stored.JobId, status, attempt);
                }
            }

            if (lastEventId is not null)
            {
                await ReplayAsync();
            }
            var limits = new StreamLimits(TimeoutAt: null, credentialsExpireAt, deliveryDisabled);
            await loop.RunAsync(subscription, writer, limits, async (message, _) =>
            {
                switch (message)
                {
                    case JobNotice { Type: JobEventType.Progress or JobEventType.Delta }:
                        break;
                    case JobNotice notice:
                        await WriteAsync(notice.GlobalId, notice.JobId, notice.Status, notice.Attempt);
                        break;
                    case ResyncNeeded:
                        await ReplayAsync();
                        break;
                }
                return false;
            }, aborted);
        }
        catch (StreamInterruptedException)
        {
            // The server is stopping while PostgreSQL is away: the closed response is the client's cue to reconnect.
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

    /// <summary>The job's status and attempt right after a stored event.</summary>
    internal static (string Status, int Attempt) StateAfter(StoredJobEvent stored)
    {
        switch (stored.Type)
        {
            case JobEventType.Completed: return (JobStatus.Completed, stored.Attempt);
            case JobEventType.Failed: return (JobStatus.Failed, stored.Attempt);
            case JobEventType.Cancelled: return (JobStatus.Cancelled, stored.Attempt);
        }
        using var document = JsonDocument.Parse(stored.Data);
        var root = document.RootElement;
        return (root.GetProperty("status").GetString() ?? stored.Status, root.GetProperty("attempt").GetInt32());
    }
}
