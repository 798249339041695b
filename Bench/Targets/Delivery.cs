using BlazorJobs.Bench.Client;

namespace BlazorJobs.Bench.Targets;

/// <summary>How a simulated client waits for its answer: not at all, over SSE, or by polling on a schedule.</summary>
/// <param name="RandomPhase">
/// Polling only: start the schedule after a random part of its first interval. The synthetic jobs all take
/// the same time, so clients that poll at once would all see their job done at the same point of their
/// schedule and the baseline would depend on that accident; real jobs' durations vary, which is what this
/// restores (a uniform phase: latency ≈ half an interval plus a round trip).
/// </param>
public sealed record Delivery(string Name, PollSchedule? Schedule = null, bool RandomPhase = false)
{
    public static readonly Delivery None = new("none (enqueue only)");
    public static readonly Delivery Sse = new("SSE");
    public static readonly Delivery PollEvery1500Ms = new("polling every 1.5 s", PollSchedules.Every(TimeSpan.FromSeconds(1.5)));
    public static readonly Delivery PollContract = new("polling, contract back-off", PollSchedules.Contract);

    public bool IsPolling => Schedule is not null;

    /// <summary>
    /// Waits for one enqueued job as this delivery does. <paramref name="onWaiting"/> runs once the
    /// client is waiting (for SSE: the stream is open). Returns the terminal outcome as
    /// (terminal type, completedAt, client receive time), or null for <see cref="None"/>.
    /// </summary>
    public async Task<(string Terminal, DateTimeOffset? CompletedAt, DateTimeOffset ReceivedAt)?> AwaitAsync(
        LandingClient client, Visitor visitor, Accepted job, Action onWaiting, CancellationToken cancellationToken)
    {
        if (this == None)
        {
            onWaiting();
            return null;
        }
        if (Schedule is { } schedule)
        {
            onWaiting();
            var phase = RandomPhase ? schedule(TimeSpan.Zero) * Random.Shared.NextDouble() : TimeSpan.Zero;
            var poll = await Poller.PollUntilTerminalAsync(client, visitor, job.PollUrl, schedule, phase, cancellationToken);
            return (poll.Status!.ToLowerInvariant(), poll.CompletedAt, poll.ReceivedAt);
        }
        await using var stream = await client.OpenStreamAsync(visitor, job.StreamUrl, cancellationToken);
        onWaiting();
        var outcome = await stream.ReadToTerminalAsync(cancellationToken);
        return (outcome.Terminal, outcome.CompletedAt, outcome.ReceivedAt);
    }
}
