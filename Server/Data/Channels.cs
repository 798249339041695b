namespace BlazorJobs.Server.Data;

/// <summary>
/// PostgreSQL notification channels: written by the queue, the rollout store and the feed's triggers,
/// listened to by the one LISTEN connection (<c>Streaming/EventHub</c>). Here with the schema, which every
/// folder may depend on, so neither side depends on the other.
/// </summary>
public static class Channels
{
    public const string JobEnqueued = "job_enqueued";
    public const string JobEvents = "job_events";
    public const string FlagsChanged = "flags_changed";
    public const string FeedChanged = "feed_changed";
    /// <summary>The listener lag probe (ListenerLagProbe): each instance times its own NOTIFY until its LISTEN hears it.</summary>
    public const string ListenerProbe = "listener_probe";
}
