using BlazorJobs.Bench.Measure;
using Npgsql;

namespace BlazorJobs.Bench.Database;

/// <summary>
/// The floor under target 1, measured beside it: a transaction that writes a row, stamps
/// <c>clock_timestamp()</c> and NOTIFYs in one statement (as the worker's completion does), and a
/// LISTEN connection that stamps the notification's arrival. What the app adds on top (EventHub,
/// stream, Kestrel, client parser) is SSE's latency minus this. It includes the COMMIT's WAL flush,
/// as the worker's does (default <c>synchronous_commit</c>), so it is only as fast as this disk.
/// The same LISTEN connection also hears the app's own <c>job_events</c>: for each <c>completed</c> one,
/// arrival − its <c>completedAt</c> is the app's completion as PostgreSQL delivers it (the rest of the worker's
/// completing statement after the stamp, its COMMIT, the notification), which splits what the app adds into
/// "before the notification leaves PostgreSQL" and "EventHub → stream → client".
/// </summary>
public sealed class CommitNotifyFloor : IAsyncDisposable
{
    private const string Channel = "bench_commit_floor";
    private const string AppChannel = "job_events";
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly NpgsqlConnection _writer;
    private readonly NpgsqlConnection _listener;
    private readonly Samples _samples = new();
    private readonly Samples _appCompletions = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _listening = Task.CompletedTask;
    private Task _loops = Task.CompletedTask;

    private CommitNotifyFloor(NpgsqlConnection writer, NpgsqlConnection listener)
    {
        _writer = writer;
        _listener = listener;
    }

    public static async Task<CommitNotifyFloor> OpenAsync(string connectionString)
    {
        var writer = new NpgsqlConnection(connectionString);
        var listener = new NpgsqlConnection(connectionString);
        await writer.OpenAsync();
        await listener.OpenAsync();
        // A real table: a transaction that touched only a temporary one would commit without flushing WAL.
        await using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS bench_commit_floor (at timestamptz NOT NULL)", writer))
        {
            await create.ExecuteNonQueryAsync();
        }
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}; LISTEN {AppChannel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }
        var floor = new CommitNotifyFloor(writer, listener);
        listener.Notification += (_, e) =>
        {
            var receivedAt = DateTimeOffset.UtcNow;
            if (!floor._samples.Recording)
            {
                return; // before the window (the app's warm-up) or after it
            }
            if (e.Channel == AppChannel)
            {
                if (AppCompletedAt(e.Payload) is { } completedAt)
                {
                    floor._appCompletions.Add(receivedAt - completedAt);
                }
            }
            else if (DateTimeOffset.TryParse(e.Payload, System.Globalization.CultureInfo.InvariantCulture, out var stampedAt))
            {
                floor._samples.Add(receivedAt - stampedAt);
            }
        };
        // Read notifications from now on, recording or not: the app's job events (every job's, from the warm-up on)
        // would otherwise pile up unread on this connection until Start, and then be timed as they are read, seconds late.
        floor._listening = floor.ListenAsync(floor._stop.Token);
        return floor;
    }

    /// <summary>Starts sampling (20 commits a second: next to nothing beside the load under test).</summary>
    public void Start()
    {
        _samples.Recording = true;
        _appCompletions.Recording = true;
        _loops = Task.WhenAll(_listening, WriteAsync(_stop.Token));
    }

    /// <returns>The floor, and the app's own completions as the same LISTEN connection heard them.</returns>
    public async Task<(LatencySummary Floor, LatencySummary AppCompletions)> StopAsync()
    {
        await Task.Delay(Interval); // the last notification's way back
        _samples.Recording = false;
        _appCompletions.Recording = false;
        await _stop.CancelAsync();
        try
        {
            await _loops;
        }
        catch (OperationCanceledException)
        {
        }
        return (_samples.Summary(), _appCompletions.Summary());
    }

    /// <summary>The <c>completedAt</c> of a <c>completed</c> job event's payload (JobEventSql's <c>t</c> and <c>d</c>), or null.</summary>
    private static DateTimeOffset? AppCompletedAt(string payload)
    {
        using var document = System.Text.Json.JsonDocument.Parse(payload);
        var root = document.RootElement;
        return root.TryGetProperty("t", out var type) && type.GetString() == "completed"
            && root.TryGetProperty("d", out var data) && data.ValueKind == System.Text.Json.JsonValueKind.Object
            && data.TryGetProperty("completedAt", out var at) && at.TryGetDateTimeOffset(out var completedAt)
                ? completedAt
                : null;
    }

    private async Task ListenAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await _listener.WaitAsync(stop);
        }
    }

    private async Task WriteAsync(CancellationToken stop)
    {
        await using var command = new NpgsqlCommand(
            """
            WITH s AS (INSERT INTO bench_commit_floor (at) VALUES (clock_timestamp()) RETURNING at)
            SELECT pg_notify('bench_commit_floor', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) FROM s
            """, _writer);
        while (!stop.IsCancellationRequested)
        {
            await command.ExecuteNonQueryAsync(stop);
            await Task.Delay(Interval, stop);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _listening;
        }
        catch (OperationCanceledException)
        {
        }
        await _writer.DisposeAsync();
        await _listener.DisposeAsync();
        _stop.Dispose();
    }
}
