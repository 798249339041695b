using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;

namespace BlazorJobs.Bench.Database;

/// <summary>What one job's notifications on <c>job_events</c> said, as this listener heard them.</summary>
public sealed class HeardJob
{
    private int _events;

    /// <summary>Notifications on <c>job_events</c> for the job: one per notifying commit (each commit appends exactly one event).</summary>
    public int Events => Volatile.Read(ref _events);

    /// <summary>The listener's clock when the claim's <c>status PROCESSING</c> arrived.</summary>
    public DateTimeOffset? ProcessingAt { get; private set; }

    /// <summary>Completes when the job's terminal event (completed, failed, cancelled) arrives.</summary>
    public TaskCompletionSource<string> Terminal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal void Heard(string type, string? status, DateTimeOffset at)
    {
        Interlocked.Increment(ref _events);
        if (type == "status" && status == "PROCESSING")
        {
            ProcessingAt ??= at;
        }
        else if (type is "completed" or "failed" or "cancelled")
        {
            Terminal.TrySetResult(type);
        }
    }
}

/// <summary>
/// A LISTEN connection of the benchmark's own on the app's channels: it counts the notifications each job
/// causes on <c>job_events</c> (one per notifying commit, since every commit of the queue appends one
/// event), the worker wake-ups on <c>job_enqueued</c> and anything else the app notifies, and lets a
/// phase wait for a job's terminal event without polling the table.
/// </summary>
public sealed class QueueListener : IAsyncDisposable
{
    private static readonly string[] Channels = ["job_events", "job_enqueued", "feed_changed", "flags_changed"];

    private readonly NpgsqlConnection _connection;
    private readonly ConcurrentDictionary<Guid, HeardJob> _jobs = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long _enqueued;
    private long _other;

    private QueueListener(NpgsqlConnection connection)
    {
        _connection = connection;
    }

    public static async Task<QueueListener> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var listener = new QueueListener(connection);
        connection.Notification += (_, e) => listener.OnNotification(e.Channel, e.Payload);
        await using (var listen = new NpgsqlCommand(string.Join("; ", Channels.Select(c => $"LISTEN {c}")), connection))
        {
            await listen.ExecuteNonQueryAsync();
        }
        listener._loop = listener.ListenAsync(listener._stop.Token);
        return listener;
    }

    /// <summary>Notifications on <c>job_enqueued</c> so far.</summary>
    public long Enqueued => Interlocked.Read(ref _enqueued);

    /// <summary>Notifications on the app's other channels (<c>feed_changed</c>, <c>flags_changed</c>) so far.</summary>
    public long Other => Interlocked.Read(ref _other);

    public HeardJob Job(Guid id) => _jobs.GetOrAdd(id, _ => new HeardJob());

    /// <summary>Notifications on <c>job_events</c> for these jobs.</summary>
    public long EventsOf(IEnumerable<Guid> ids) => ids.Sum(id => _jobs.TryGetValue(id, out var job) ? job.Events : 0);

    private void OnNotification(string channel, string payload)
    {
        var at = DateTimeOffset.UtcNow;
        switch (channel)
        {
            case "job_events":
                using (var json = JsonDocument.Parse(payload))
                {
                    var root = json.RootElement;
                    var id = root.GetProperty("j").GetGuid();
                    var type = root.GetProperty("t").GetString() ?? "";
                    var status = root.TryGetProperty("st", out var st) ? st.GetString() : null;
                    Job(id).Heard(type, status, at);
                }
                break;
            case "job_enqueued":
                Interlocked.Increment(ref _enqueued);
                break;
            default:
                Interlocked.Increment(ref _other);
                break;
        }
    }

    private async Task ListenAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await _connection.WaitAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits (briefly) for notifications still on their way, e.g. after a phase's last commit.</summary>
    public static Task SettleAsync() => Task.Delay(200);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is NpgsqlException or ObjectDisposedException)
        {
        }
        await _connection.DisposeAsync();
        _stop.Dispose();
    }
}
