using BlazorJobs.Server.Delivery;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Rollout;

/// <summary>
/// The guarded rollout (rollout.md): compares SSE's and hybrid's delivery failure rate with polling's
/// over the window, once a variant has the minimum sample of distinct callers, and trips when one is worse
/// by more than the margin (rates per caller, from evidence a visitor cannot manufacture cheaply: see
/// <see cref="DeliveryStats"/>) — turning the kill switch on (or only notifying). A trip is audited with its figures;
/// only an admin clears it. Also publishes the figures for the admin page.
/// </summary>
public sealed partial class DeliveryGuard(
    DeliveryStats stats,
    RolloutStore store,
    RolloutStateCache cache,
    IOptions<RolloutOptions> options,
    TimeProvider time,
    ILogger<DeliveryGuard> logger) : BackgroundService
{
    public const string GuardActor = "guard";

    /// <summary>The latest figures (null until the first evaluation).</summary>
    public IReadOnlyList<VariantStats>? Latest { get; private set; }

    /// <summary>Raised after each evaluation with fresh figures.</summary>
    public event Action<IReadOnlyList<VariantStats>>? Evaluated;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Guard.IntervalSeconds), time);
        do
        {
            try
            {
                await EvaluateAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogEvaluationFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <returns>The trip, when this evaluation tripped the guard.</returns>
    public async Task<GuardTrip?> EvaluateAsync(CancellationToken cancellationToken)
    {
        var figures = await stats.ComputeAsync(cancellationToken);
        Latest = figures;
        Evaluated?.Invoke(figures);

        var state = await cache.GetAsync(cancellationToken);
        if (state.GuardTripped || state.KillSwitch)
        {
            return null; // already stopped, or deliveries are forced to polling and not judged
        }
        var trip = FindTrip(figures, options.Value.Guard, time.GetUtcNow());
        if (trip is null)
        {
            return null;
        }

        var killSwitch = trip.Action == "KillSwitch";
        var updated = await store.ChangeAsync(s => s with { Guard = trip, KillSwitch = s.KillSwitch || killSwitch }, GuardActor, trip.Reason, cancellationToken);
        cache.Apply(updated.State);
        LogTripped(trip.Variant, trip.VariantFailureRate, trip.VariantSample, trip.PollingFailureRate, trip.PollingSample, trip.Action);
        return trip;
    }

    /// <summary>The comparison itself; pure, so it is unit-tested. Rates and the minimum sample are in distinct callers.</summary>
    public static GuardTrip? FindTrip(IReadOnlyList<VariantStats> figures, RolloutOptions.GuardOptions guard, DateTimeOffset now)
    {
        var polling = figures.FirstOrDefault(f => f.Variant == DeliveryMode.Polling);
        var baseline = polling?.FailureRate ?? 0;
        foreach (var candidate in figures.Where(f => f.Variant is DeliveryMode.Sse or DeliveryMode.Hybrid))
        {
            if (candidate.Callers >= guard.MinSample && candidate.FailureRate - baseline > guard.MarginPercent)
            {
                return new GuardTrip(now, candidate.Variant, Math.Round(candidate.FailureRate, 2), Math.Round(baseline, 2),
                    candidate.Callers, polling?.Callers ?? 0, guard.Action,
                    candidate.FailedCallers, polling?.FailedCallers ?? 0, guard.WindowMinutes, guard.MarginPercent, guard.MinSample);
            }
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery guard tripped: {Variant} fails {VariantRate:0.0}% of {VariantCallers} callers vs polling {PollingRate:0.0}% of {PollingCallers}; action {Action}")]
    private partial void LogTripped(string variant, double variantRate, int variantCallers, double pollingRate, int pollingCallers, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The delivery guard could not evaluate; it tries again at the next interval")]
    private partial void LogEvaluationFailed(Exception ex);
}
