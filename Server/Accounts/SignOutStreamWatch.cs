using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Accounts;

/// <summary>
/// Ends signed-in streams (tutor job and session streams, a learner's events stream) when their user signs
/// out: one timer for the whole instance checks, every <c>Auth:SecurityStampCheckSeconds</c>, each distinct
/// (user, security stamp) among the open streams once, and ends the streams whose stamp is no longer the
/// user's. A stream so costs an entry here and the cancellation source that replaces its
/// <c>RequestAborted</c>, not a timer of its own (docs/architecture.md, "What one open stream holds").
/// </summary>
public sealed partial class SignOutStreamWatch(
    SecurityStampCheck stamps,
    IOptions<AuthOptions> options,
    TimeProvider time,
    ILogger<SignOutStreamWatch> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<WatchedStream, byte> _streams = new();

    /// <summary>How many streams are watched now.</summary>
    public int Count => _streams.Count;

    /// <summary>
    /// From now until the returned handle is disposed, the request's <c>RequestAborted</c> is also cancelled when
    /// its user signs out, so the stream closes as if the client had left (its reconnect with the old token is
    /// <c>401</c>). Dispose when the request is done.
    /// </summary>
    public IDisposable EndRequestOnSignOut(HttpContext context)
    {
        var stream = new WatchedStream(
            this, context.User, stamps.StampKeyOf(context.User) ?? string.Empty, CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted));
        context.RequestAborted = stream.Ended;
        _streams.TryAdd(stream, 0);
        return stream;
    }

    /// <summary>A sign-out on this instance: its user's streams under the old stamp end now, not at the next pass.</summary>
    public void EndStreamsOf(ClaimsPrincipal signedOut)
    {
        if (stamps.StampKeyOf(signedOut) is not { } key)
        {
            return;
        }
        End(_streams.Keys.Where(stream => stream.StampKey == key));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SecurityStampCheckSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckAllAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server is stopping: its streams end by themselves.
        }
    }

    /// <summary>
    /// One pass: each distinct (user, stamp) is checked once, one after another, so thousands of streams of one
    /// user cost one lookup and a full instance's checks do not arrive at the database all at once.
    /// </summary>
    internal async Task CheckAllAsync(CancellationToken cancellationToken)
    {
        foreach (var sameStamp in _streams.Keys.GroupBy(stream => stream.StampKey))
        {
            bool current;
            try
            {
                current = await stamps.IsCurrentAsync(sameStamp.First().User, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCheckFailed(ex); // the database is away: keep the streams, check again next time
                continue;
            }
            if (!current)
            {
                End(sameStamp);
            }
        }
    }

    private void End(IEnumerable<WatchedStream> signedOut)
    {
        foreach (var stream in signedOut)
        {
            LogStreamEndedBySignOut(stream.User.FindFirstValue(ClaimTypes.NameIdentifier));
            stream.End();
        }
    }

    /// <param name="stampKey">Streams whose principals carry the same user and stamp share one check.</param>
    private sealed class WatchedStream(SignOutStreamWatch watch, ClaimsPrincipal user, string stampKey, CancellationTokenSource ended) : IDisposable
    {
        public ClaimsPrincipal User => user;

        public string StampKey => stampKey;

        public CancellationToken Ended => ended.Token;

        public void End()
        {
            try
            {
                ended.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The request finished while this pass was ending it.
            }
        }

        public void Dispose()
        {
            watch._streams.TryRemove(this, out _);
            ended.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A stream of user {UserId} ended: the user signed out")]
    private partial void LogStreamEndedBySignOut(string? userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check a streaming user's security stamp; checking again at the next interval")]
    private partial void LogCheckFailed(Exception ex);
}
