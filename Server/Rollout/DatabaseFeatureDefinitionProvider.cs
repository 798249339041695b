using BlazorJobs.Server.Delivery;
using Microsoft.FeatureManagement;

namespace BlazorJobs.Server.Rollout;

/// <summary>
/// Serves the <c>JobDelivery</c> variant flag from the state held in PostgreSQL (through the in-memory
/// cache, so an evaluation costs no query).
/// </summary>
/// <remarks>
/// Microsoft.FeatureManagement puts each user at a fixed point p in [0, 100) from a hash of the user id
/// and the seed (rollout.md). The ranges are laid out so that growing one only takes users from
/// polling: sse = [0, s), hybrid = [100 − h, 100], polling = everything between (DefaultWhenEnabled).
/// Moving SSE from 10% to 20% therefore moves exactly the users in [10, 20) from polling to SSE. The
/// seed is fixed: changing it would reshuffle everybody.
/// </remarks>
public sealed class DatabaseFeatureDefinitionProvider(RolloutStateCache cache) : IFeatureDefinitionProvider
{
    public const string Seed = "blazorjobs-job-delivery-v1";

    private (RolloutState State, FeatureDefinition Definition)? _built;

    public async Task<FeatureDefinition> GetFeatureDefinitionAsync(string featureName)
    {
        if (featureName != RolloutState.FlagName)
        {
            return null!; // FeatureManager treats a missing definition as "not defined"
        }
        var state = await cache.GetAsync(CancellationToken.None);
        var built = _built;
        if (built is { } b && ReferenceEquals(b.State, state))
        {
            return b.Definition;
        }
        var definition = Build(state.Allocation);
        _built = (state, definition);
        return definition;
    }

    public async IAsyncEnumerable<FeatureDefinition> GetAllFeatureDefinitionsAsync()
    {
        yield return await GetFeatureDefinitionAsync(RolloutState.FlagName);
    }

    public static FeatureDefinition Build(DeliveryAllocation allocation)
    {
        var percentiles = new List<PercentileAllocation>();
        if (allocation.Sse > 0)
        {
            percentiles.Add(new PercentileAllocation { Variant = DeliveryMode.Sse, From = 0, To = allocation.Sse });
        }
        if (allocation.Hybrid > 0)
        {
            percentiles.Add(new PercentileAllocation { Variant = DeliveryMode.Hybrid, From = 100 - allocation.Hybrid, To = 100 });
        }
        return new FeatureDefinition
        {
            Name = RolloutState.FlagName,
            EnabledFor = [new FeatureFilterConfiguration { Name = "AlwaysOn" }],
            Variants = DeliveryMode.All.Select(mode => new VariantDefinition { Name = mode }).ToList(),
            Allocation = new Allocation
            {
                DefaultWhenEnabled = DeliveryMode.Polling,
                DefaultWhenDisabled = DeliveryMode.Polling,
                Percentile = percentiles,
                Seed = Seed,
            },
        };
    }
}
