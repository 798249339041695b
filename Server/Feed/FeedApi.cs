using System.Diagnostics;
using System.Text.Json;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Jobs;
using BlazorJobs.Server.Streaming;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Feed;

/// <summary><c>GET /api/feed</c> (a JSON page) and <c>GET /api/feed/stream</c> (the same page, progressively, then live).</summary>
public static class FeedApi
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public sealed record FeedPageResponse(IReadOnlyList<FeedItem> Items, string? NextCursor);

    public static IEndpointRouteBuilder MapFeedApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/feed").WithTags("Feed");
        group.MapGet("/", GetPageAsync);
        group.MapGet("/stream", StreamAsync).RequireRateLimiting(RateLimitPolicies.OpenStreams).EndWhenServerStops();
        return app;
    }

    private static bool TryReadPaging(FeedCursor cursors, string? cursor, int? limit, out FeedPosition? after, out int take, out BadRequestProblem? error)
    {
        take = limit ?? DefaultLimit;
        after = null;
        error = null;
        if (take is < 1 or > MaxLimit)
        {
            error = ApiProblems.BadRequest($"'limit' must be 1 to {MaxLimit}.", "invalid-limit");
            return false;
        }
        if (!cursors.TryDecode(cursor, out after))
        {
            error = ApiProblems.BadRequest("'cursor' is not a cursor this feed gave out.", "invalid-cursor");
            return false;
        }
        return true;
    }

    /// <remarks>A page missing some source groups is served (and not cached); one missing all of them is
    /// a <c>503</c>, so a client never shows "no activity" when the truth is "nothing could be read".</remarks>
    private static async Task<Results<Ok<FeedPageResponse>, BadRequestProblem, RetryLaterProblem>> GetPageAsync(string? cursor, int? limit, FeedCursor cursors, FeedCache cache, FeedAssembler assembler, CancellationToken cancellationToken)
    {
        if (!TryReadPaging(cursors, cursor, limit, out var after, out var take, out var error))
        {
            return error!;
        }
        var page = await cache.TryGetAsync(FeedCache.Key(after, take), cancellationToken) ?? await assembler.Start(after, take).Page;
        if (page.Unreadable)
        {
            return ApiProblems.FeedUnavailable();
        }
        return TypedResults.Ok(new FeedPageResponse(page.Items, page.NextCursor));
    }

    /// <summary>
    /// <c>feed_items</c> per source group as it is ready (or one batch from the cache), <c>feed_error</c> for a group
    /// that failed, <c>feed_complete</c> with the cutoff, then — when live — new activity as it lands, until
    /// <c>Streams:TimeoutSeconds</c> have passed: then <c>timeout</c>, and the client asks for the page again.
    /// </summary>
    private static async Task StreamAsync(
        HttpContext context, string? cursor, int? limit, bool? live,
        FeedCursor cursors, FeedCache cache, FeedAssembler assembler, FeedLiveHub liveHub, FeedMetrics feedMetrics, StreamMetrics metrics,
        EventStreamLoop loop, IOptions<StreamOptions> streamOptions, TimeProvider time)
    {
        if (!TryReadPaging(cursors, cursor, limit, out var after, out var take, out var error))
        {
            await error!.ExecuteAsync(context);
            return;
        }
        var aborted = context.RequestAborted;
        var started = Stopwatch.GetTimestamp();
        var isLive = live ?? after is null;
        using var subscription = isLive ? liveHub.Subscribe() : null; // before the page, so nothing lands unseen
        var writer = await SseResponseWriter.StartAsync(context, streamOptions.Value, metrics, "feed");
        metrics.StreamOpened("feed");
        try
        {
            var page = await cache.TryGetAsync(FeedCache.Key(after, take), aborted);
            if (page is not null)
            {
                await writer.WriteEventAsync("feed_items", Serialize(new { items = page.Items, partial = true }), id: null, aborted);
                feedMetrics.FirstBatch(Stopwatch.GetElapsedTime(started));
            }
            else
            {
                var assembly = assembler.Start(after, take);
                var first = true;
                await foreach (var next in Task.WhenEach(assembly.Groups))
                {
                    var group = await next;
                    if (group.Error is not null)
                    {
                        await writer.WriteEventAsync("feed_error", Serialize(new { group = group.Group, error = group.Error }), id: null, aborted);
                        continue;
                    }
                    await writer.WriteEventAsync("feed_items", Serialize(new { items = group.Items, partial = true }), id: null, aborted);
                    if (first)
                    {
                        feedMetrics.FirstBatch(Stopwatch.GetElapsedTime(started));
                        first = false;
                    }
                }
                page = await assembly.Page;
            }
            await writer.WriteEventAsync("feed_complete", Serialize(new { nextCursor = page.NextCursor, totalItems = page.Items.Count, cutoff = page.Cutoff }), id: null, aborted);

            if (subscription is not null)
            {
                // A stream may not hold its place (and its subscription) for ever: at the timeout the client reconnects.
                var limits = new StreamLimits(time.GetUtcNow().AddSeconds(streamOptions.Value.TimeoutSeconds), CredentialsExpireAt: null, DeliveryDisabled: CancellationToken.None);
                await loop.RunAsync(subscription.Reader, writer, limits, async (batch, cancellationToken) =>
                {
                    await writer.WriteEventAsync("feed_items", batch.Json, id: null, cancellationToken);
                    return false;
                }, aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
        finally
        {
            metrics.StreamClosed("feed");
        }
    }

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, JsonDefaults.Options);
}
