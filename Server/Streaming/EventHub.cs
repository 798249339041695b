using System.Text.Json;
using BlazorJobs.Server.Data;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Jobs;
using Npgsql;

namespace BlazorJobs.Server.Streaming;

/// <summary>
/// The process's one <c>LISTEN</c> connection (on the direct string of <see cref="DatabaseConnections"/>),
/// fanning PostgreSQL notifications out to in-process subscribers through one door, <see cref="Subscribe"/>:
/// job streams, session streams, callers' events streams, the worker's wake-ups (<see cref="WorkerWakeUps"/>), the flag cache and the live feed.
/// </summary>
/// <remarks>
/// Npgsql raises notifications only while the connection is inside <c>WaitAsync</c> or a command, and
/// a dead socket can leave a wait hanging (npgsql#1544, #3456). So the wait is bounded: after
/// <see cref="SilenceBeforePing"/> of silence a <c>SELECT 1</c> with a short timeout proves the
/// connection alive, and TCP keepalive is on. A lost connection is reopened with back-off, and every
/// subscriber is then told to re-read from the database what it may have missed meanwhile.
/// </remarks>
public sealed partial class EventHub(
    NpgsqlDataSource dataSource,
    DatabaseConnections connections,
    StreamMetrics metrics,
    ILogger<EventHub> logger) : BackgroundService
{
    public const string ApplicationName = "blazorjobs-listener";
    public static readonly TimeSpan SilenceBeforePing = TimeSpan.FromSeconds(30);
    private const int SubscriberCapacity = 512;

    private readonly SubscriberRegistry _subscribers = new(SubscriberCapacity);
    private readonly TaskCompletionSource _firstListen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary><c>pg_postmaster_start_time()</c> as the last LISTEN connection read it: a new value means the server restarted.</summary>
    private DateTime? _serverStartedAt;

    /// <summary>True while the LISTEN connection is up.</summary>
    public bool IsListening { get; private set; }

    /// <summary>How many times the listener had to reconnect (for tests and metrics).</summary>
    public int Reconnects { get; private set; }

    /// <summary>Open stream subscriptions; drops to zero when every stream has gone.</summary>
    public int SubscriberCount => _subscribers.StreamCount;

    /// <summary>Open subscriptions to one topic: e.g. how many events streams a caller holds (one per browser when its tabs share).</summary>
    public int SubscriberCountOf(HubTopic topic) => _subscribers.CountOf(topic);

    /// <summary>Completes once the first LISTEN is in place.</summary>
    public Task Listening => _firstListen.Task;

    /// <summary>
    /// The notifications of <paramref name="topic"/> from now on, and a <see cref="ResyncNeeded"/> after the
    /// listener reconnects (whatever was sent meanwhile is in the database, not in the queue). Dispose to leave.
    /// </summary>
    public HubSubscription Subscribe(HubTopic topic) => _subscribers.Add(topic);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var everConnected = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (connection, serverStartedAt) = await OpenListenerAsync(stoppingToken);
                await using var _ = connection;
                IsListening = true;
                failures = 0;
                if (everConnected)
                {
                    if (serverStartedAt != _serverStartedAt)
                    {
                        // The server restarted under the pool: its idle connections are dead, and the re-sync below
                        // is about to read through them. Dropping them makes those reads open fresh ones. Only then:
                        // when the listener alone was lost (a DBA, an idle-connection killer), reopening every pooled
                        // connection on top of every stream's re-sync read held up the worker's commits for a second or two
                        // (docs/benchmarks.md, target 9); a pooled connection that died anyway is dropped by
                        // StoreReadRetry on its first failed read.
                        dataSource.Clear();
                    }
                    Reconnects++;
                    metrics.ListenerReconnected();
                    LogReconnected();
                    Resync();
                }
                everConnected = true;
                _serverStartedAt = serverStartedAt;
                _firstListen.TrySetResult();
                await ListenAsync(connection, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                IsListening = false;
                var delay = TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, failures++)));
                LogListenerLost(ex, delay.TotalMilliseconds);
                await Task.Delay(delay, stoppingToken);
            }
        }
        IsListening = false;
    }

    /// <returns>The connection, listening, and when its server started (read before the LISTEN, which stays its last statement).</returns>
    private async Task<(NpgsqlConnection Connection, DateTime ServerStartedAt)> OpenListenerAsync(CancellationToken cancellationToken)
    {
        // Straight to PostgreSQL, never through a transaction-mode pooler: LISTEN belongs to the session.
        var builder = new NpgsqlConnectionStringBuilder(connections.Direct)
        {
            ApplicationName = ApplicationName,
            Pooling = false,
            TcpKeepAlive = true,
            KeepAlive = 15,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var started = new NpgsqlCommand("SELECT pg_postmaster_start_time()", connection);
            var serverStartedAt = (DateTime)(await started.ExecuteScalarAsync(cancellationToken))!;
            connection.Notification += OnNotification;
            await using var listen = new NpgsqlCommand(
                $"LISTEN {Channels.JobEvents}; LISTEN {Channels.JobEnqueued}; LISTEN {Channels.FlagsChanged}; LISTEN {Channels.FeedChanged}; LISTEN {Channels.ListenerProbe}",
                connection);
            await listen.ExecuteNonQueryAsync(cancellationToken);
            return (connection, serverStartedAt);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task ListenAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await connection.WaitAsync(SilenceBeforePing, cancellationToken))
            {
                await using var ping = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = 5 };
                await ping.ExecuteScalarAsync(cancellationToken);
            }
        }
    }

    /// <summary>After a reconnect: tell every subscriber (the worker and the caches too) to re-read.</summary>
    private void Resync() => _subscribers.DeliverToAll(ResyncNeeded.Instance);

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        metrics.NotificationReceived();
        if (e.Channel != Channels.JobEvents)
        {
            _subscribers.Deliver(HubTopic.Whole(e.Channel), new ChannelNotice(e.Channel, e.Payload));
        }
        else if (TryParse(e.Payload) is { } notice)
        {
            _subscribers.Deliver(HubTopic.Job(notice.JobId), notice);
            _subscribers.Deliver(HubTopic.Session(notice.SessionId), notice);
            if (notice.OwnerKey is { } owner)
            {
                _subscribers.Deliver(HubTopic.Owner(owner), notice);
            }
        }
    }

    /// <summary>Parses the payload built by <see cref="JobEventSql"/>.</summary>
    internal static JobNotice? TryParse(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            var data = root.TryGetProperty("d", out var d) && d.ValueKind != JsonValueKind.Null ? d.GetRawText() : null;
            return new JobNotice(
                root.GetProperty("g").GetInt64(),
                root.GetProperty("j").GetGuid(),
                root.GetProperty("s").GetInt32(),
                root.GetProperty("ss").GetGuid(),
                root.GetProperty("a").GetInt32(),
                root.GetProperty("st").GetString()!,
                root.GetProperty("t").GetString()!,
                data)
            {
                OwnerKey = root.TryGetProperty("o", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The LISTEN connection was lost; reconnecting in {DelayMs} ms")]
    private partial void LogListenerLost(Exception ex, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "The LISTEN connection is back; open streams re-sync from the database")]
    private partial void LogReconnected();
}
