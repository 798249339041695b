using System.Diagnostics;
using BlazorJobs.Server.Data;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Streaming;
using Npgsql;

namespace BlazorJobs.Server.Operations;

/// <summary>
/// How long this instance's LISTEN connection takes to hear a notification: a <c>NOTIFY</c> on
/// <see cref="Channels.ListenerProbe"/>, committed through the pool as the app's own events are,
/// timed until the listener hands it back. The dashboard's listener lag: a connection that is up
/// but falling behind (a busy listener thread, a saturated server) shows here before anything else.
/// </summary>
/// <remarks>Every instance hears every probe; each times only its own (its id in the payload).</remarks>
public sealed class ListenerLagProbe(NpgsqlDataSource dataSource, EventHub hub, InstanceIdentity instance)
{
    /// <summary>A probe not back by then counts as lost: the lag is unknown (null), which the dashboard says.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private long _sequence;

    /// <returns>The round trip in milliseconds, or null when the listener is down or the probe did not come back.</returns>
    public async Task<double?> MeasureAsync(CancellationToken cancellationToken)
    {
        if (!hub.IsListening)
        {
            return null;
        }
        using var heard = hub.Subscribe(HubTopic.Whole(Channels.ListenerProbe)); // before the NOTIFY, so it cannot be missed
        var payload = $"{instance.Id}/{Interlocked.Increment(ref _sequence)}";
        var sent = Stopwatch.GetTimestamp();
        await using (var notify = dataSource.CreateCommand("SELECT pg_notify(@channel, @payload)"))
        {
            notify.Parameters.AddWithValue("channel", Channels.ListenerProbe);
            notify.Parameters.AddWithValue("payload", payload);
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(Timeout);
        try
        {
            await foreach (var message in heard.Reader.ReadAllAsync(wait.Token))
            {
                if (message is ChannelNotice notice && notice.Payload == payload)
                {
                    return Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Not back within the timeout.
        }
        return null;
    }
}
