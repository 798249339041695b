using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Streaming;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Delivery;

/// <summary><c>GET /api/delivery</c> and <c>POST /api/delivery/reports</c>.</summary>
public static class DeliveryApi
{
    /// <param name="HeartbeatTimeoutMs">The silence after which the client treats a stream as dropped (<see cref="StreamOptions.ClientSilenceLimitMilliseconds"/>).</param>
    public sealed record DeliveryResponse(string Mode, bool KillSwitch, int HeartbeatTimeoutMs);

    public sealed record ReportRequest(Guid? JobId, string? Mode, string? Kind, string? Detail);

    public const string ReportsRateLimitPolicy = RateLimitPolicies.DeliveryReports;

    public static IEndpointRouteBuilder MapDeliveryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/delivery").WithTags("Delivery");
        group.MapGet("/", GetModeAsync);
        group.MapPost("/reports", ReportAsync).RequireRateLimiting(ReportsRateLimitPolicy);
        return app;
    }

    /// <summary>A learner (bearer token) or a visitor (cookie): whoever the delivery mode is for.</summary>
    public static async Task<Caller> ResolveCallerAsync(HttpContext context)
    {
        var bearer = await context.AuthenticateAsync(IdentityConstants.BearerScheme);
        if (bearer.Succeeded)
        {
            return Caller.Learner(bearer.Principal);
        }
        return Caller.Visitor(VisitorCookie.GetOrIssue(context));
    }

    private static async Task<Ok<DeliveryResponse>> GetModeAsync(
        HttpContext context, DeliveryModeSelector selector, DeliveryKillSwitch killSwitch, IOptions<StreamOptions> streams, CancellationToken cancellationToken)
    {
        var caller = await ResolveCallerAsync(context);
        var mode = await selector.SelectAsync(caller.TargetingId, cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new DeliveryResponse(mode, killSwitch.IsOn, streams.Value.ClientSilenceLimitMilliseconds));
    }

    /// <summary>A client's report, once per fallback or abandoned stream (<see cref="DeliveryReportStore"/> keeps what counts).</summary>
    private static async Task<Results<NoContent, UnreadableBody, BadRequestProblem>> ReportAsync(
        HttpContext context, DeliveryReportStore reports, StreamMetrics metrics, CancellationToken cancellationToken)
    {
        var (report, error) = await JsonRequestBody.ReadAsync<ReportRequest>(
            context.Request, "{ \"jobId\", \"mode\", \"kind\": \"fallback\" | \"stream_error\", \"detail\"? }", cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var mode = DeliveryMode.Normalize(report?.Mode);
        if (report?.JobId is not { } jobId || mode is null || report.Kind is not ("fallback" or "stream_error"))
        {
            return ApiProblems.BadRequest("'jobId' (UUID), 'mode' (sse, hybrid or polling) and 'kind' (fallback or stream_error) are required.");
        }

        var caller = await ResolveCallerAsync(context);
        if (await reports.AddAsync(jobId, caller.OwnerKey, mode, report.Kind, report.Detail, cancellationToken))
        {
            metrics.ClientReported(mode, report.Kind);
        }
        return TypedResults.NoContent();
    }
}
