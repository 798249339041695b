using BlazorJobs.App.Services;

namespace BlazorJobs.Tests.Components;

/// <summary>The server's side of the page, held in memory: what it returns, what it was asked to save.</summary>
internal sealed class FakeRolloutAdmin : IRolloutAdmin
{
    public RolloutView View { get; set; } = new(new AllocationView(80, 10, 10), false, false, null, DateTimeOffset.UtcNow.AddDays(-1), "seed");

    public IReadOnlyList<AuditRow> Audit { get; set; } = [];

    /// <summary>While set and not completed, the first load hangs.</summary>
    public TaskCompletionSource? Loading { get; set; }

    public Exception? SaveFailure { get; set; }

    public List<(AllocationView Allocation, bool KillSwitch, string Admin)> Saves { get; } = [];

    public async Task<RolloutView> GetAsync(CancellationToken cancellationToken = default)
    {
        if (Loading is { } loading)
        {
            await loading.Task;
        }
        return View;
    }

    public Task<RolloutView> SetAsync(AllocationView allocation, bool killSwitch, string admin, CancellationToken cancellationToken = default)
    {
        Saves.Add((allocation, killSwitch, admin));
        if (SaveFailure is { } failure)
        {
            return Task.FromException<RolloutView>(failure);
        }
        View = View with { Allocation = allocation, KillSwitch = killSwitch, Guard = killSwitch ? View.Guard : null, UpdatedBy = admin, UpdatedAt = DateTimeOffset.UtcNow };
        Audit = [new AuditRow(Audit.Count + 1, admin, $"sse {allocation.Sse} / hybrid {allocation.Hybrid} / polling {allocation.Polling}{(killSwitch ? ", kill switch ON" : "")}", null, DateTimeOffset.UtcNow), .. Audit];
        return Task.FromResult(View);
    }

    public Task<IReadOnlyList<AuditRow>> AuditAsync(int limit, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<AuditRow>>([.. Audit.Take(limit)]);
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
