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
    private int _reloadRequested;

    /// <summary>Raised after every change of state (on a background thread).</summary>
    public event Action<RolloutState>? Changed;

    public RolloutState? Current => _current;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        hub.FlagsChanged += OnFlagsChanged;
        await ReloadAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        hub.FlagsChanged -= OnFlagsChanged;
        return Task.CompletedTask;
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

    /// <summary>On the listener's thread: must not block. Bursts of notifications collapse into one reload.</summary>
    private void OnFlagsChanged(string? payload)
    {
        if (Interlocked.Exchange(ref _reloadRequested, 1) == 1)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            Interlocked.Exchange(ref _reloadRequested, 0);
            try
            {
                await ReloadAsync(CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogReloadFailed(ex);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reload the delivery flag; the previous state stays in force")]
    private partial void LogReloadFailed(Exception ex);
}
