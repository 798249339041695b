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
    public async ValueTask<string> SelectAsync(string targetingId, CancellationToken cancellationToken) =>
        (await SelectWithReasonAsync(targetingId, cancellationToken)).Mode;

    /// <summary>The mode, and whether it was forced on the caller (kill switch, default mode) rather than drawn by the rollout.</summary>
    public async ValueTask<DeliverySelection> SelectWithReasonAsync(string targetingId, CancellationToken cancellationToken)
    {
        if (killSwitch.IsOn)
        {
            return new DeliverySelection(DeliveryMode.Polling, Forced: true);
        }
        if (DeliveryMode.Normalize(options.CurrentValue.DefaultMode) is { } forced)
        {
            return new DeliverySelection(forced, Forced: true);
        }
        return new DeliverySelection(await rollout.ModeForAsync(targetingId, cancellationToken), Forced: false);
    }
}

/// <summary>The rollout's allocation of delivery modes to callers (a feature flag).</summary>
public interface IDeliveryRollout
{
    ValueTask<string> ModeForAsync(string targetingId, CancellationToken cancellationToken);
}

/// <summary>A caller's delivery mode and whether it was forced.</summary>
public sealed record DeliverySelection(string Mode, bool Forced);
