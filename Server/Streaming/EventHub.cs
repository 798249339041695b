using System.Text.Json;
using BlazorJobs.Server.Data;
using BlazorJobs.Server.Jobs;
using Npgsql;

namespace BlazorJobs.Server.Streaming;

/// <summary>
/// The process's one <c>LISTEN</c> connection, fanning PostgreSQL notifications out to in-process
/// subscribers: job streams, session streams, the worker's wake-up signal, flag and feed caches.
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
    WorkerSignal workerSignal,
    StreamMetrics metrics,
    ILogger<EventHub> logger) : BackgroundService
{
    public const string ApplicationName = "blazorjobs-listener";
    public static readonly TimeSpan SilenceBeforePing = TimeSpan.FromSeconds(30);
    private const int SubscriberCapacity = 512;

    private readonly SubscriberRegistry _jobs = new(SubscriberCapacity);
    private readonly SubscriberRegistry _sessions = new(SubscriberCapacity);
    private readonly TaskCompletionSource _firstListen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True while the LISTEN connection is up.</summary>
    public bool IsListening { get; private set; }

    /// <summary>How many times the listener had to reconnect (for tests and metrics).</summary>
    public int Reconnects { get; private set; }

    /// <summary>Open subscriptions; drops to zero when every stream has gone.</summary>
    public int SubscriberCount => _jobs.Count + _sessions.Count;

    /// <summary>Completes once the first LISTEN is in place.</summary>
    public Task Listening => _firstListen.Task;

    /// <summary>Raised on <c>NOTIFY flags_changed</c> and after a reconnect (payload null), on the listener's thread.</summary>
    public event Action<string?>? FlagsChanged;

    /// <summary>Raised on <c>NOTIFY feed_changed</c> and after a reconnect (payload null), on the listener's thread.</summary>
    public event Action<string?>? FeedChanged;

    public HubSubscription SubscribeJob(Guid jobId) => _jobs.Add(jobId);

    public HubSubscription SubscribeSession(Guid sessionId) => _sessions.Add(sessionId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var everConnected = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await OpenListenerAsync(stoppingToken);
                IsListening = true;
                failures = 0;
                if (everConnected)
                {
                    // The server may have restarted under the pool: its idle connections are dead, and the
                    // re-sync below is about to read through them. Dropping them makes those reads open fresh ones.
                    dataSource.Clear();
                    Reconnects++;
                    metrics.ListenerReconnected();
                    LogReconnected();
                    Resync();
                }
                everConnected = true;
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

    private async Task<NpgsqlConnection> OpenListenerAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString)
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
            connection.Notification += OnNotification;
            await using var listen = new NpgsqlCommand(
                $"LISTEN {Channels.JobEvents}; LISTEN {Channels.JobEnqueued}; LISTEN {Channels.FlagsChanged}; LISTEN {Channels.FeedChanged}",
                connection);
            await listen.ExecuteNonQueryAsync(cancellationToken);
            return connection;
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

    /// <summary>After a reconnect: wake the worker and tell every subscriber and cache to re-read.</summary>
    private void Resync()
    {
        workerSignal.Pulse();
        _jobs.DeliverToAll(ResyncNeeded.Instance);
        _sessions.DeliverToAll(ResyncNeeded.Instance);
        FlagsChanged?.Invoke(null);
        FeedChanged?.Invoke(null);
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        metrics.NotificationReceived();
        switch (e.Channel)
        {
            case Channels.JobEnqueued:
                workerSignal.Pulse();
                break;
            case Channels.JobEvents:
                if (TryParse(e.Payload) is { } notice)
                {
                    _jobs.Deliver(notice.JobId, notice);
                    _sessions.Deliver(notice.SessionId, notice);
                }
                break;
            case Channels.FlagsChanged:
                FlagsChanged?.Invoke(e.Payload);
                break;
            case Channels.FeedChanged:
                FeedChanged?.Invoke(e.Payload);
                break;
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
                data);
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
