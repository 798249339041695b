using System.Threading.Channels;
using BlazorJobs.App.Services;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Server.Operations;

/// <summary>
/// One shared snapshot for every dashboard viewer of this instance: refreshed every <c>Operations:SnapshotSeconds</c>
/// while at least one stream watches (nothing when nobody does), and handed to each viewer's queue. However
/// many admins watch, the database sees one snapshot query per period per instance.
/// </summary>
public sealed partial class JobsSnapshotFeed(
    JobsSnapshotQuery query,
    IOptions<OperationsOptions> options,
    TimeProvider time,
    ILogger<JobsSnapshotFeed> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly HashSet<Channel<JobsSnapshot>> _viewers = [];
    private readonly SemaphoreSlim _wake = new(0, 1);
    private Task<JobsSnapshot>? _refresh;
    private JobsSnapshot? _latest;
    private DateTimeOffset _latestAt = DateTimeOffset.MinValue;

    private TimeSpan Period => TimeSpan.FromSeconds(options.Value.SnapshotSeconds);

    /// <summary>The latest snapshot if fresh, else a new one (shared with any refresh already running).</summary>
    public Task<JobsSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_latest is { } latest && time.GetUtcNow() - _latestAt < Period)
            {
                return Task.FromResult(latest);
            }
            _refresh ??= RefreshAsync();
            return _refresh.WaitAsync(cancellationToken);
        }
    }

    /// <summary>After an admin action: the next snapshot is read afresh, and viewers get it now rather than at the next tick.</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _latestAt = DateTimeOffset.MinValue;
        }
        Wake();
    }

    /// <summary>A viewer's queue of snapshots, newest only (a slow viewer skips to the latest). Dispose to leave.</summary>
    public Viewer Watch()
    {
        var channel = Channel.CreateBounded<JobsSnapshot>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _viewers.Add(channel);
        }
        Wake(); // the first snapshot now, not a period later
        return new Viewer(this, channel);
    }

    public int ViewerCount
    {
        get
        {
            lock (_gate)
            {
                return _viewers.Count;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await _wake.WaitAsync(Period, stoppingToken);
            if (ViewerCount == 0)
            {
                continue;
            }
            try
            {
                Publish(await GetAsync(stoppingToken));
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // Viewers keep the last snapshot (its time shows its age); the next tick tries again.
                LogRefreshFailed(ex);
            }
        }
    }

    private async Task<JobsSnapshot> RefreshAsync()
    {
        // Off the caller's lock: the finally below must run after _refresh was assigned, even on a synchronous failure.
        await Task.Yield();
        try
        {
            var snapshot = await query.ReadAsync(CancellationToken.None);
            lock (_gate)
            {
                _latest = snapshot;
                _latestAt = time.GetUtcNow();
            }
            return snapshot;
        }
        finally
        {
            lock (_gate)
            {
                _refresh = null;
            }
        }
    }

    private void Publish(JobsSnapshot snapshot)
    {
        lock (_gate)
        {
            foreach (var viewer in _viewers)
            {
                viewer.Writer.TryWrite(snapshot);
            }
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    private void Leave(Channel<JobsSnapshot> channel)
    {
        lock (_gate)
        {
            _viewers.Remove(channel);
        }
        channel.Writer.TryComplete();
    }

    public sealed class Viewer(JobsSnapshotFeed feed, Channel<JobsSnapshot> channel) : IDisposable
    {
        public ChannelReader<JobsSnapshot> Reader => channel.Reader;

        public void Dispose() => feed.Leave(channel);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the operations snapshot; viewers keep the last one")]
    private partial void LogRefreshFailed(Exception ex);
}
