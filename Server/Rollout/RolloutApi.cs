using System.Security.Claims;
using System.Text.Json;
using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Data;
using BlazorJobs.Server.Delivery;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Jobs;
using BlazorJobs.Server.Streaming;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Rollout;

/// <summary><c>/api/admin/rollout</c>: the delivery flag's allocation, kill switch, guard, audit and live figures (admins only).</summary>
public static class RolloutApi
{
    public sealed record RolloutView(DeliveryAllocation Allocation, bool KillSwitch, GuardTrip? Guard, DateTimeOffset UpdatedAt, string UpdatedBy, bool KillSwitchForcedByEnvironment);

    public sealed record RolloutChange(DeliveryAllocation? Allocation, bool? KillSwitch);

    public static IEndpointRouteBuilder MapRolloutApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/rollout").RequireAuthorization(AuthPolicies.Admin).WithTags("Rollout");
        group.MapGet("/", GetAsync);
        group.MapPut("/", PutAsync);
        group.MapGet("/audit", AuditAsync);
        group.MapGet("/stream", StreamAsync).EndWhenServerStops();
        return app;
    }

    public static RolloutView View(RolloutState state, DeliveryKillSwitch killSwitch) =>
        new(state.Allocation, state.KillSwitch || killSwitch.IsForcedByEnvironment, state.Guard, state.UpdatedAt, state.UpdatedBy, killSwitch.IsForcedByEnvironment);

    private static async Task<Ok<RolloutView>> GetAsync(RolloutStateCache cache, DeliveryKillSwitch killSwitch, CancellationToken cancellationToken) =>
        TypedResults.Ok(View(await cache.GetAsync(cancellationToken), killSwitch));

    private static async Task<Results<Ok<RolloutView>, UnreadableBody, BadRequestProblem>> PutAsync(
        HttpContext context, RolloutService rollout, DeliveryKillSwitch killSwitch, CancellationToken cancellationToken)
    {
        var (change, unreadable) = await JsonRequestBody.ReadAsync<RolloutChange>(
            context.Request, "{ \"allocation\": { \"sse\", \"hybrid\", \"polling\" }, \"killSwitch\": bool }", cancellationToken);
        if (unreadable is not null)
        {
            return unreadable;
        }
        if (change?.Allocation is not { } allocation || change.KillSwitch is not { } on)
        {
            return ApiProblems.BadRequest("Both 'allocation' and 'killSwitch' are required.");
        }
        if (allocation.Validate() is { } invalid)
        {
            return ApiProblems.BadRequest(invalid, "invalid-allocation");
        }
        var admin = context.User.FindFirstValue(ClaimTypes.Email) ?? context.User.Identity?.Name ?? "admin";
        var state = await rollout.SetAsync(allocation, on, admin, cancellationToken);
        return TypedResults.Ok(View(state, killSwitch));
    }

    public sealed record AuditPage(IReadOnlyList<RolloutAuditEntry> Entries);

    private static async Task<Results<Ok<AuditPage>, BadRequestProblem>> AuditAsync(RolloutStore store, int? limit, CancellationToken cancellationToken)
    {
        var take = limit ?? 50;
        if (take is < 1 or > 500)
        {
            return ApiProblems.BadRequest("'limit' must be 1 to 500.");
        }
        return TypedResults.Ok(new AuditPage(await store.AuditAsync(take, cancellationToken)));
    }

    /// <summary>SSE for the admin page: <c>stats</c> every 2 s and <c>changed</c> when the flag changes.</summary>
    private static async Task StreamAsync(
        HttpContext context, RolloutStateCache cache, DeliveryStats stats, DeliveryKillSwitch killSwitch,
        StreamMetrics metrics, IOptions<StreamOptions> streamOptions, IOptions<RolloutOptions> rolloutOptions)
    {
        var guard = rolloutOptions.Value.Guard;
        var aborted = context.RequestAborted;
        var changes = System.Threading.Channels.Channel.CreateBounded<RolloutState>(new System.Threading.Channels.BoundedChannelOptions(8)
        {
            FullMode = System.Threading.Channels.BoundedChannelFullMode.DropOldest,
        });
        void OnChanged(RolloutState state) => changes.Writer.TryWrite(state);
        cache.Changed += OnChanged;
        var writer = await SseResponseWriter.StartAsync(context, streamOptions.Value, metrics, "rollout");
        metrics.StreamOpened("rollout");
        try
        {
            await writer.WriteEventAsync("changed", Serialize(View(await cache.GetAsync(aborted), killSwitch)), id: null, aborted);
            // The page has nothing to show until its first stats: send them now, not after the first 2 s.
            await WriteStatsAsync(writer, stats, guard, aborted);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
            var tick = timer.WaitForNextTickAsync(aborted).AsTask();
            while (!aborted.IsCancellationRequested)
            {
                var change = changes.Reader.WaitToReadAsync(aborted).AsTask();
                if (await Task.WhenAny(tick, change) == tick)
                {
                    await tick;
                    await WriteStatsAsync(writer, stats, guard, aborted);
                    tick = timer.WaitForNextTickAsync(aborted).AsTask();
                }
                else
                {
                    while (changes.Reader.TryRead(out var state))
                    {
                        await writer.WriteEventAsync("changed", Serialize(View(state, killSwitch)), id: null, aborted);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
        finally
        {
            cache.Changed -= OnChanged;
            metrics.StreamClosed("rollout");
        }
    }

    private static async Task WriteStatsAsync(SseResponseWriter writer, DeliveryStats stats, RolloutOptions.GuardOptions guard, CancellationToken cancellationToken) =>
        await writer.WriteEventAsync("stats", Serialize(new
        {
            variants = await stats.ComputeAsync(cancellationToken),
            at = DateTimeOffset.UtcNow,
            windowMinutes = guard.WindowMinutes,
            minSample = guard.MinSample,
        }), id: null, cancellationToken);

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, JsonDefaults.Options);
}
