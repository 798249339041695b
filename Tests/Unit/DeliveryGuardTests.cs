using BlazorJobs.Server.Rollout;

namespace BlazorJobs.Tests.Unit;

public sealed class DeliveryGuardTests
{
    private static readonly RolloutOptions.GuardOptions Guard = new() { MinSample = 100, MarginPercent = 5, Action = "KillSwitch" };

    private static VariantStats Figures(string variant, int deliveries, int failures) =>
        new(variant, Users: deliveries, QuestionsAnswered: deliveries, deliveries, failures, Fallbacks: 0, null, null, null);

    [Fact]
    public void Trips_when_sse_fails_more_than_the_margin_above_polling_with_enough_sample()
    {
        var trip = DeliveryGuard.FindTrip([Figures("sse", 200, 30), Figures("hybrid", 200, 2), Figures("polling", 100, 2)], Guard, DateTimeOffset.UnixEpoch);

        Assert.NotNull(trip);
        Assert.Equal("sse", trip.Variant);
        Assert.Equal(15, trip.VariantFailureRate);
        Assert.Equal(2, trip.PollingFailureRate);
        Assert.Equal(200, trip.VariantSample);
    }

    [Fact]
    public void Does_not_judge_a_variant_below_the_minimum_sample()
    {
        var trip = DeliveryGuard.FindTrip([Figures("sse", 99, 99), Figures("polling", 100, 0)], Guard, DateTimeOffset.UnixEpoch);

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
}
