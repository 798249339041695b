using BlazorJobs.Server.Chat;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Streaming;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace BlazorJobs.Server.Delivery;

/// <summary><c>GET /api/delivery</c> and <c>POST /api/delivery/reports</c>.</summary>
public static class DeliveryApi
{
    public sealed record DeliveryResponse(string Mode, bool KillSwitch);

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

    private static async Task<Ok<DeliveryResponse>> GetModeAsync(HttpContext context, DeliveryModeSelector selector, DeliveryKillSwitch killSwitch, CancellationToken cancellationToken)
    {
        var caller = await ResolveCallerAsync(context);
        var mode = await selector.SelectAsync(caller.TargetingId, cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new DeliveryResponse(mode, killSwitch.IsOn));
    }

    /// <summary>
    /// Stores what a client reports (once per fallback or abandoned stream); a job the caller does not own is
    /// ignored, and a job keeps one report per kind however often it is filed (the guard counts each caller
    /// once anyway: rollout.md, "Guarded rollout").
    /// </summary>
    private static async Task<Results<NoContent, UnreadableBody, BadRequestProblem>> ReportAsync(HttpContext context, NpgsqlDataSource dataSource, StreamMetrics metrics, CancellationToken cancellationToken)
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
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO delivery_reports (job_id, mode, kind, detail, created_at)
            SELECT @job, @mode, @kind, @detail, now() FROM jobs WHERE id = @job AND owner_key = @owner
            ON CONFLICT (job_id, kind) DO NOTHING
            """);
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("mode", mode);
        command.Parameters.AddWithValue("kind", report.Kind);
        command.Parameters.AddWithValue("detail", (object?)Truncate(report.Detail, 500) ?? DBNull.Value);
        command.Parameters.AddWithValue("owner", caller.OwnerKey);
        if (await command.ExecuteNonQueryAsync(cancellationToken) > 0)
        {
            metrics.ClientReported(mode, report.Kind);
        }
        return TypedResults.NoContent();
    }

    private static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}
