using BlazorJobs.Server.Data;
using BlazorJobs.Server.Delivery;
using BlazorJobs.Server.Streaming;

namespace BlazorJobs.Server.Rollout;

/// <summary>
/// The delivery flag's state in memory, so evaluating a caller's mode costs no query. Reloaded when
/// <c>NOTIFY flags_changed</c> arrives (any instance changed it) and after the listener reconnects;
/// applies the kill switch as it loads.
/// </summary>
public sealed partial class RolloutStateCache(
    RolloutStore store,
    EventHub hub,
    DeliveryKillSwitch killSwitch,
    ILogger<RolloutStateCache> logger) : IHostedService
{
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private volatile RolloutState? _current;
    private HubSubscription? _flagChanges;
    private Task? _reloads;

    /// <summary>Raised after every change of state (on a background thread).</summary>
    public event Action<RolloutState>? Changed;

    public RolloutState? Current => _current;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _flagChanges = hub.Subscribe(HubTopic.Whole(Channels.FlagsChanged));
        _reloads = Task.Run(() => ReloadOnChangesAsync(_flagChanges), CancellationToken.None);
        await ReloadAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _flagChanges?.Dispose(); // completes the reader: the reload loop ends
        if (_reloads is not null)
        {
            await _reloads.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async ValueTask<RolloutState> GetAsync(CancellationToken cancellationToken) =>
        _current ?? await ReloadAsync(cancellationToken);

    /// <summary>Takes a state this instance just wrote, without waiting for its own notification.</summary>
    public void Apply(RolloutState state)
    {
        _current = state;
        killSwitch.Set(state.KillSwitch);
        Changed?.Invoke(state);
    }

    public async Task<RolloutState> ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloadLock.WaitAsync(cancellationToken);
        try
        {
            var state = await store.LoadAsync(cancellationToken);
            if (_current is null || state != _current)
            {
                Apply(state);
            }
            return state;
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    /// <summary>A notification, or the listener's reconnect: reload. A burst of notifications collapses into one reload.</summary>
    private async Task ReloadOnChangesAsync(HubSubscription changes)
    {
        while (await changes.Reader.WaitToReadAsync())
        {
            while (changes.Reader.TryRead(out _))
            {
            }
            try
            {
                await ReloadAsync(CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogReloadFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reload the delivery flag; the previous state stays in force")]
    private partial void LogReloadFailed(Exception ex);
}
