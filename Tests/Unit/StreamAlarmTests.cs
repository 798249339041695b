using BlazorJobs.Server.Streaming;
using Microsoft.Extensions.Time.Testing;

namespace BlazorJobs.Tests.Unit;

/// <summary>The wait loop's per-stream wake-up: rings at its deadline, moves with each arming, rings for good when the stream must end.</summary>
public sealed class StreamAlarmTests
{
    [Fact]
    public async Task It_rings_when_its_deadline_passes_and_not_before()
    {
        var time = new FakeTimeProvider();
        using var alarm = new StreamAlarm(time);

        var ring = alarm.Arm(TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(ring.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        await ring.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Arming_again_moves_the_deadline_and_a_rung_alarm_arms_afresh()
    {
        var time = new FakeTimeProvider();
        using var alarm = new StreamAlarm(time);

        var first = alarm.Arm(TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(3));
        var moved = alarm.Arm(TimeSpan.FromSeconds(5)); // a message arrived: the next heartbeat is 5 s from now
        Assert.Same(first, moved);
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.False(moved.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        await moved.WaitAsync(TimeSpan.FromSeconds(5));

        var next = alarm.Arm(TimeSpan.FromSeconds(5));
        Assert.False(next.IsCompleted);
    }

    [Fact]
    public async Task It_rings_for_good_when_the_stream_must_end()
    {
        var time = new FakeTimeProvider();
        using var aborted = new CancellationTokenSource();
        using var alarm = new StreamAlarm(time, aborted.Token, CancellationToken.None);

        var ring = alarm.Arm(TimeSpan.FromMinutes(1));
        await aborted.CancelAsync();
        await ring.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(alarm.Arm(TimeSpan.FromMinutes(1)).IsCompleted);
    }

    [Fact]
    public void A_stream_that_has_already_ended_gets_a_rung_alarm()
    {
        using var alarm = new StreamAlarm(new FakeTimeProvider(), new CancellationToken(canceled: true));

        Assert.True(alarm.Arm(TimeSpan.FromMinutes(1)).IsCompleted);
    }
}
