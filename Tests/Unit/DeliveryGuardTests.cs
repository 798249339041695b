using BlazorJobs.Server.Rollout;

namespace BlazorJobs.Tests.Unit;

/// <summary>The guard's comparison (rollout.md, "Guarded rollout"): rates and the minimum sample are in distinct callers.</summary>
public sealed class DeliveryGuardTests
{
    private static readonly RolloutOptions.GuardOptions Guard = new() { MinSample = 100, MarginPercent = 5, Action = "KillSwitch", WindowMinutes = 5 };

    /// <param name="deliveries">Judged deliveries; by default one per caller.</param>
    /// <param name="failures">Failed deliveries; by default one per failed caller.</param>
    private static VariantStats Figures(string variant, int callers, int failedCallers, int? deliveries = null, int? failures = null) =>
        new(variant, Users: callers, QuestionsAnswered: deliveries ?? callers, callers, failedCallers, deliveries ?? callers, failures ?? failedCallers,
            Fallbacks: 0, null, null, null);

    [Fact]
    public void Trips_when_sse_fails_for_more_callers_than_the_margin_above_polling_with_enough_callers()
    {
        var trip = DeliveryGuard.FindTrip([Figures("sse", 200, 30), Figures("hybrid", 200, 2), Figures("polling", 100, 2)], Guard, DateTimeOffset.UnixEpoch);

        Assert.NotNull(trip);
        Assert.Equal("sse", trip.Variant);
        Assert.Equal(15, trip.VariantFailureRate);
        Assert.Equal(2, trip.PollingFailureRate);
        Assert.Equal(200, trip.VariantSample);
        Assert.Equal(30, trip.VariantFailedCallers);
        Assert.Equal((100, 2), (trip.PollingSample, trip.PollingFailedCallers));
        Assert.Equal((5.0, 5.0, 100), (trip.WindowMinutes, trip.MarginPercent, trip.MinSample));
    }

    [Fact]
    public void Does_not_judge_a_variant_below_the_minimum_sample_of_callers()
    {
        var trip = DeliveryGuard.FindTrip([Figures("sse", 99, 99), Figures("polling", 100, 0)], Guard, DateTimeOffset.UnixEpoch);

        Assert.Null(trip);
    }

    [Fact]
    public void Many_deliveries_from_few_callers_do_not_make_the_minimum_sample()
    {
        // Three callers with a thousand failed deliveries each: still three callers.
        var trip = DeliveryGuard.FindTrip([Figures("sse", 3, 3, deliveries: 3000, failures: 3000), Figures("polling", 100, 0)], Guard, DateTimeOffset.UnixEpoch);

        Assert.Null(trip);
    }

    [Fact]
    public void A_few_failing_callers_among_many_weigh_as_few_however_many_deliveries_they_fail()
    {
        // 3 of 103 callers failed (2.9%), with 300 failed deliveries among 400: per caller it is within the margin.
        var sse = Figures("sse", 103, 3, deliveries: 400, failures: 300);

        var trip = DeliveryGuard.FindTrip([sse, Figures("polling", 100, 0)], Guard, DateTimeOffset.UnixEpoch);

        Assert.Equal(100.0 * 3 / 103, sse.FailureRate, 6);
        Assert.Null(trip);
    }

    [Fact]
    public void Does_not_trip_within_the_margin()
    {
        var trip = DeliveryGuard.FindTrip([Figures("sse", 1000, 60), Figures("hybrid", 1000, 70), Figures("polling", 1000, 20)], Guard, DateTimeOffset.UnixEpoch);

        Assert.Null(trip);
    }

    [Fact]
    public void Compares_hybrid_too()
    {
        var trip = DeliveryGuard.FindTrip([Figures("sse", 1000, 10), Figures("hybrid", 500, 100), Figures("polling", 1000, 10)], Guard, DateTimeOffset.UnixEpoch);

        Assert.Equal("hybrid", trip?.Variant);
    }

    [Fact]
    public void The_audit_reason_names_the_rates_the_callers_the_window_and_the_margin()
    {
        var trip = DeliveryGuard.FindTrip([Figures("sse", 200, 30), Figures("polling", 100, 2)], Guard, DateTimeOffset.UnixEpoch)!;

        Assert.Equal(
            "Guard: sse failure rate 15.0% (30 of 200 callers) vs polling 2.0% (2 of 100 callers) over the last 5 min; margin 5 points, minimum sample 100 callers",
            trip.Reason);
    }
}
