using System.Security.Cryptography;
using System.Text;
using BlazorJobs.Server.Data;

namespace BlazorJobs.Server.Streaming;

/// <summary>
/// What an <see cref="EventHub"/> subscription listens to: a channel (<see cref="Channels"/>), narrowed to one
/// key for <c>job_events</c>, whose notifications are fanned out by job and by session.
/// </summary>
/// <param name="Channel">The PostgreSQL channel the notifications arrive on.</param>
/// <param name="Scope">"job", "session" or "owner" for a stream's topic; the channel's name for a whole channel.</param>
/// <param name="Key">The job or session id (a hash of the owner key for "owner"); <see cref="Guid.Empty"/> for a whole channel.</param>
public readonly record struct HubTopic(string Channel, string Scope, Guid Key)
{
    /// <summary>One job's events: a job stream.</summary>
    public static HubTopic Job(Guid jobId) => new(Channels.JobEvents, "job", jobId);

    /// <summary>Every job event of one session: a session stream.</summary>
    public static HubTopic Session(Guid sessionId) => new(Channels.JobEvents, "session", sessionId);

    /// <summary>
    /// Every job event of one caller (a learner's or a visitor's owner key): a caller's events stream. The key is
    /// a hash of the owner key, so the stream still checks each notice's <see cref="JobNotice.OwnerKey"/>.
    /// </summary>
    public static HubTopic Owner(string ownerKey) =>
        new(Channels.JobEvents, "owner", new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(ownerKey)).AsSpan(0, 16)));

    /// <summary>Every notification on a channel (the worker's wake-ups, flag and feed changes), payload as sent.</summary>
    public static HubTopic Whole(string channel) => new(channel, channel, Guid.Empty);

    /// <summary>
    /// A stream's subscriber that falls behind is dropped (its client resumes from <c>Last-Event-ID</c>); a
    /// whole-channel subscriber is a part of the server, so it keeps the newest notifications instead.
    /// </summary>
    public bool IsStream => Key != Guid.Empty;
}
