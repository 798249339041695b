using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Delivery;

/// <summary>
/// Decides a caller's delivery mode for one request: <c>polling</c> while the kill switch is on,
/// else <c>Delivery:DefaultMode</c> when set, else the rollout's allocation for this caller.
/// Evaluated per HTTP request, never cached per circuit, so a kill switch is felt at once.
/// </summary>
public sealed class DeliveryModeSelector(
    DeliveryKillSwitch killSwitch,
    IOptionsMonitor<DeliveryOptions> options,
    IDeliveryRollout rollout)
{
    public async ValueTask<string> SelectAsync(string targetingId, CancellationToken cancellationToken)
    {
        if (killSwitch.IsOn)
        {
            return DeliveryMode.Polling;
        }
        if (DeliveryMode.Normalize(options.CurrentValue.DefaultMode) is { } forced)
        {
            return forced;
        }
        return await rollout.ModeForAsync(targetingId, cancellationToken);
    }
}

/// <summary>The rollout's allocation of delivery modes to callers (a feature flag).</summary>
public interface IDeliveryRollout
{
    ValueTask<string> ModeForAsync(string targetingId, CancellationToken cancellationToken);
}

/// <summary>Before the rollout flag exists: everyone gets SSE.</summary>
public sealed class EveryoneGetsSse : IDeliveryRollout
{
    public ValueTask<string> ModeForAsync(string targetingId, CancellationToken cancellationToken) => ValueTask.FromResult(DeliveryMode.Sse);
}
