using BlazorJobs.Server.Delivery;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace BlazorJobs.Server.Rollout;

/// <summary>
/// A caller's delivery mode from the <c>JobDelivery</c> variant flag. The targeting id is passed
/// explicitly (the learner's user id or the visitor's cookie id): the built-in accessor would use
/// <c>Identity.Name</c>, and an empty id would put every anonymous visitor in one bucket.
/// Evaluated per request through the singleton manager, never a per-circuit snapshot.
/// </summary>
public sealed class FeatureFlagDeliveryRollout(IVariantFeatureManager features) : IDeliveryRollout
{
    public async ValueTask<string> ModeForAsync(string targetingId, CancellationToken cancellationToken)
    {
        var variant = await features.GetVariantAsync(RolloutState.FlagName, new TargetingContext { UserId = targetingId }, cancellationToken);
        return DeliveryMode.Normalize(variant?.Name) ?? DeliveryMode.Polling;
    }
}
