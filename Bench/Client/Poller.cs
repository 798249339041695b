namespace BlazorJobs.Bench.Client;

/// <summary>When to poll next, given the time since the first poll (as <c>pollJob</c>'s <c>schedule</c> in sse-client.js).</summary>
public delegate TimeSpan PollSchedule(TimeSpan elapsed);

public static class PollSchedules
{
    public static PollSchedule Every(TimeSpan interval) => _ => interval;

    /// <summary>The contract's back-off (sse-client.md): 1 s for the first 10 s, then 2 s until 30 s, 5 s until 60 s, then 10 s.</summary>
    public static readonly PollSchedule Contract = elapsed => elapsed.TotalSeconds switch
    {
        < 10 => TimeSpan.FromSeconds(1),
        < 30 => TimeSpan.FromSeconds(2),
        < 60 => TimeSpan.FromSeconds(5),
        _ => TimeSpan.FromSeconds(10),
    };
}

/// <summary>Polls one job like the module's <c>pollJob</c>: at once, then on the schedule, with the last ETag.</summary>
public static class Poller
{
    /// <param name="phase">Wait this long before the first poll (zero: poll at once, as <c>pollJob</c> does).</param>
    /// <returns>The poll that saw the job terminal.</returns>
    public static async Task<PollOutcome> PollUntilTerminalAsync(
        LandingClient client, Visitor visitor, string pollUrl, PollSchedule schedule, TimeSpan phase, CancellationToken cancellationToken)
    {
        if (phase > TimeSpan.Zero)
        {
            await Task.Delay(phase, cancellationToken);
        }
        var started = DateTimeOffset.UtcNow;
        string? etag = null;
        while (true)
        {
            var outcome = await client.PollAsync(visitor, pollUrl, etag, cancellationToken);
            if (outcome.IsTerminal)
            {
                return outcome;
            }
            etag = outcome.ETag;
            await Task.Delay(schedule(DateTimeOffset.UtcNow - started), cancellationToken);
        }
    }
}
