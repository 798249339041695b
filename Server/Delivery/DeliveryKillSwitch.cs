using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Delivery;

/// <summary>
/// Whether SSE is stopped for everyone. Open streams watch <see cref="Engaged"/>, which is cancelled
/// the moment the switch goes on, so they send <c>delivery_disabled</c> and their clients poll instead.
/// </summary>
public sealed class DeliveryKillSwitch
{
    private readonly bool _forcedByEnvironment;
    private readonly Lock _lock = new();
    private CancellationTokenSource _engaged = new();
    private bool _setByAdmin;

    public DeliveryKillSwitch(IOptions<DeliveryOptions> options)
    {
        _forcedByEnvironment = options.Value.KillSwitch;
        if (_forcedByEnvironment)
        {
            _engaged.Cancel();
        }
    }

    public bool IsOn => _forcedByEnvironment || _setByAdmin;

    /// <summary>True when the environment forces the switch on, so the admin page cannot turn it off.</summary>
    public bool IsForcedByEnvironment => _forcedByEnvironment;

    /// <summary>Cancelled while the switch is on.</summary>
    public CancellationToken Engaged
    {
        get
        {
            lock (_lock)
            {
                return _engaged.Token;
            }
        }
    }

    /// <summary>Applies the stored (admin or guard) state; the environment's "on" always wins.</summary>
    public void Set(bool on)
    {
        lock (_lock)
        {
            _setByAdmin = on;
            if (IsOn && !_engaged.IsCancellationRequested)
            {
                _engaged.Cancel();
            }
            else if (!IsOn && _engaged.IsCancellationRequested)
            {
                _engaged = new CancellationTokenSource();
            }
        }
    }
}
