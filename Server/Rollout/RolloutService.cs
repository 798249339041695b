namespace BlazorJobs.Server.Rollout;

/// <summary>What an admin can do to the rollout (used by the admin API and the admin page alike).</summary>
public sealed class RolloutService(RolloutStore store, RolloutStateCache cache)
{
    /// <summary>
    /// Sets the allocation and kill switch. Turning the kill switch off also clears a guard trip: only an
    /// admin may resume after the guard stopped SSE. Saving what is already in force changes and audits nothing.
    /// </summary>
    public async Task<RolloutState> SetAsync(DeliveryAllocation allocation, bool killSwitch, string admin, CancellationToken cancellationToken)
    {
        if (allocation.Validate() is { } invalid)
        {
            throw new ArgumentException(invalid, nameof(allocation));
        }
        var result = await store.ChangeAsync(
            s => s with { Allocation = allocation, KillSwitch = killSwitch, Guard = killSwitch ? s.Guard : null },
            admin,
            reason: null,
            cancellationToken);
        // Applying an unchanged state would tell every open admin page that something changed.
        if (result.Changed)
        {
            cache.Apply(result.State);
        }
        return result.State;
    }

    public async Task<RolloutState> GetAsync(CancellationToken cancellationToken) => await cache.GetAsync(cancellationToken);

    public Task<IReadOnlyList<RolloutAuditEntry>> AuditAsync(int limit, CancellationToken cancellationToken) => store.AuditAsync(limit, cancellationToken);
}
