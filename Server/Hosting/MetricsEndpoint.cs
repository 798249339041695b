using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using BlazorJobs.Server.Jobs;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace BlazorJobs.Server.Hosting;

/// <summary><c>Metrics:*</c>: who may scrape <c>/metrics</c> besides the machine itself.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>A secret a scraper elsewhere sends as <c>Authorization: Bearer &lt;token&gt;</c>; unset: loopback only.</summary>
    [MinLength(16, ErrorMessage = "Metrics:ScrapeToken must be at least 16 characters.")]
    public string? ScrapeToken { get; set; }
}

/// <summary>
/// <c>/metrics</c> (api.md, Operations): the project's own meters plus the few framework ones an
/// operator reads (requests by route and status, connections, runtime), served only to loopback or
/// to a scraper with <c>Metrics:ScrapeToken</c>. Left open it tells anyone the traffic of every route;
/// left unfiltered it was ~1.8 MB a scrape, mostly Blazor's per-component-type render histograms.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>Fewer buckets than OpenTelemetry's default fifteen: enough to tell fast, slow and stuck requests apart.</summary>
    private static readonly double[] RequestDurationBuckets = [0.005, 0.025, 0.1, 0.5, 2.5, 10, 60];

    public static IServiceCollection AddBlazorJobsMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(JobMetrics.MeterName)
            // Named one by one instead of AddAspNetCoreInstrumentation(), which on .NET 10 also brings
            // Blazor's, Identity's and authentication's meters: thousands of series nobody graphs.
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.RateLimiting")
            .AddView("http.server.request.duration", new ExplicitBucketHistogramConfiguration
            {
                Boundaries = RequestDurationBuckets,
                TagKeys = ["http.request.method", "http.response.status_code", "http.route", "error.type"],
            })
            .AddView("kestrel.connection.duration", MetricStreamConfiguration.Drop)
            .AddView("aspnetcore.rate_limiting.request_lease.duration", MetricStreamConfiguration.Drop)
            .AddView("aspnetcore.rate_limiting.request.time_in_queue", MetricStreamConfiguration.Drop)
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return services;
    }

    public static IEndpointConventionBuilder MapMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        return app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: scrape => scrape.Use(async (context, next) =>
        {
            if (!IsAllowed(context, options))
            {
                await ApiProblems.Problem(StatusCodes.Status403Forbidden, "Forbidden.",
                    "Metrics are served to this machine (loopback) or to a scraper sending the configured Metrics:ScrapeToken as a bearer token.",
                    "forbidden").ExecuteAsync(context);
                return;
            }
            await next(context);
        }), optionsName: null);
    }

    /// <summary>The connection's own address decides (forwarded headers count only from configured proxies).</summary>
    private static bool IsAllowed(HttpContext context, MetricsOptions options)
    {
        if (context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote))
        {
            return true;
        }
        return options.ScrapeToken is { Length: > 0 } token &&
               context.Request.Headers.Authorization.ToString() is { } header &&
               header.StartsWith("Bearer ", StringComparison.Ordinal) &&
               CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()), Encoding.UTF8.GetBytes(token));
    }
}
