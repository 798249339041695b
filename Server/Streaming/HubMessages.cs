namespace BlazorJobs.Server.Streaming;

/// <summary>What a subscriber of the <see cref="EventHub"/> receives.</summary>
public abstract record HubMessage;

/// <summary>
/// A job event, as carried by <c>NOTIFY job_events</c>. <see cref="Data"/> is the event's JSON when it
/// fitted in the notification; null when the subscriber must read it from <c>job_events</c> by <see cref="GlobalId"/>.
/// </summary>
public sealed record JobNotice(long GlobalId, Guid JobId, int Seq, Guid SessionId, int Attempt, string Status, string Type, string? Data) : HubMessage
{
    /// <summary>The job's owner (<c>user:…</c> or <c>visitor:…</c>): what a caller's events stream is fanned out by.</summary>
    public string? OwnerKey { get; init; }
}

/// <summary>A notification on a whole channel (<see cref="HubTopic.Whole"/>), with its payload as sent.</summary>
public sealed record ChannelNotice(string Channel, string Payload) : HubMessage;

/// <summary>
/// The listener was disconnected and is back: notifications may have been missed meanwhile, so the
/// subscriber re-reads what it has not seen from the database.
/// </summary>
public sealed record ResyncNeeded : HubMessage
{
    public static readonly ResyncNeeded Instance = new();
}
