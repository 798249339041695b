using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Chat;
using BlazorJobs.Server.Streaming;
using Microsoft.AspNetCore.RateLimiting;

namespace BlazorJobs.Server.Hosting;

/// <summary><c>RateLimits:*</c> (api.md): enqueues (and retries) per learner, per visitor and per IP; cancels; sign-ins and registrations per IP.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public TutorLimits Tutor { get; set; } = new();
    public LandingLimits Landing { get; set; } = new();
    public ReportLimits Reports { get; set; } = new();
    public CancelLimits Cancel { get; set; } = new();
    public PerIpLimits SignIn { get; set; } = new() { PerIpPermitsPerMinute = 20 };
    public PerIpLimits Register { get; set; } = new() { PerIpPermitsPerMinute = 10 };

    public sealed class TutorLimits
    {
        [Range(1, 1_000_000)] public int PermitsPerMinute { get; set; } = 30;
    }

    public sealed class LandingLimits
    {
        [Range(1, 1_000_000)] public int PermitsPerMinute { get; set; } = 20;
        [Range(1, 10_000_000)] public int PerIpPermitsPerMinute { get; set; } = 120;
    }

    public sealed class ReportLimits
    {
        [Range(1, 1_000_000)] public int PermitsPerMinute { get; set; } = 60;
    }

    public sealed class CancelLimits
    {
        [Range(1, 1_000_000)] public int PermitsPerMinute { get; set; } = 60;
    }

    /// <summary>Sign-ins and registrations: each costs a password hash, and each new account brings fresh per-learner budgets.</summary>
    public sealed class PerIpLimits
    {
        [Range(1, 10_000_000)] public int PerIpPermitsPerMinute { get; set; }
    }
}

public static class RateLimitPolicies
{
    public const string TutorEnqueue = "tutor-enqueue";
    public const string OpenStreams = "open-streams";
    public const string DeliveryReports = "delivery-reports";
    public const string JobCancel = "job-cancel";
    public const string SignIn = "sign-in";
    public const string Register = "register";
}

/// <summary>Marks the landing guide's enqueue and retry, which the global limiter counts per visitor and per IP.</summary>
public sealed class LandingEnqueueLimitMetadata;

/// <summary>
/// The built-in rate limiter, set up as the contract says. Its default rejection is 503; here it is
/// 429 with <c>Retry-After</c> and a problem body. The client IP is the connection's: forwarded
/// headers are honoured only from configured proxies, so a spoofed <c>X-Forwarded-For</c> cannot
/// move a caller into a fresh bucket.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddBlazorJobsRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        var streams = configuration.GetSection(StreamOptions.Section).Get<StreamOptions>() ?? new StreamOptions();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = WriteRejectionAsync;

            options.AddPolicy(RateLimitPolicies.TutorEnqueue, context =>
                PerMinute($"learner:{context.User.FindFirstValue(ClaimTypes.NameIdentifier)}", limits.Tutor.PermitsPerMinute));

            options.AddPolicy(RateLimitPolicies.DeliveryReports, context =>
                PerMinute($"reporter:{context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? VisitorCookie.Read(context)?.ToString() ?? IpOf(context)}", limits.Reports.PermitsPerMinute));

            options.AddPolicy(RateLimitPolicies.JobCancel, context =>
                PerMinute($"canceller:{CallerKeyOf(context) ?? IpOf(context)}", limits.Cancel.PermitsPerMinute));

            // Per IP only: lock-out is off (AccountsRegistration), so this is what holds a password guesser.
            options.AddPolicy(RateLimitPolicies.SignIn, context => PerMinute($"sign-in:{IpOf(context)}", limits.SignIn.PerIpPermitsPerMinute));
            options.AddPolicy(RateLimitPolicies.Register, context => PerMinute($"register:{IpOf(context)}", limits.Register.PerIpPermitsPerMinute));

            // A stream holds its permit for as long as it is open. An anonymous caller without a visitor
            // cookie has no identity of its own: only the per-IP ceiling of the global limiter holds it.
            options.AddPolicy(RateLimitPolicies.OpenStreams, context => CallerKeyOf(context) is { } caller
                ? RateLimitPartition.GetConcurrencyLimiter(caller, _ => new ConcurrencyLimiterOptions { PermitLimit = streams.MaxOpenPerCaller, QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("anonymous"));

            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                // A new visitor gets their cookie here, before the endpoint, so their first question counts in
                // their own bucket: not in one shared by every newcomer behind the same IP (an office, a school),
                // and not outside any bucket. A client that drops its cookie is held by the per-IP limit.
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsLandingEnqueue(context)
                    ? PerMinute($"visitor:{VisitorCookie.GetOrIssue(context)}", limits.Landing.PermitsPerMinute)
                    : RateLimitPartition.GetNoLimiter("none")),
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsLandingEnqueue(context)
                    ? PerMinute($"ip:{IpOf(context)}", limits.Landing.PerIpPermitsPerMinute)
                    : RateLimitPartition.GetNoLimiter("none")),
                // A new bj_visitor cookie costs nothing, so anonymous streams (job, feed) also share a ceiling per IP.
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsStream(context) && context.User.Identity?.IsAuthenticated != true
                    ? RateLimitPartition.GetConcurrencyLimiter($"streams-ip:{IpOf(context)}", _ => new ConcurrencyLimiterOptions { PermitLimit = streams.MaxOpenPerIp, QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter("none")));
        });
        return services;
    }

    private static bool IsLandingEnqueue(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<LandingEnqueueLimitMetadata>() is not null;

    private static bool IsStream(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == RateLimitPolicies.OpenStreams;

    /// <summary>The learner, or the visitor by cookie; null for an anonymous caller without a cookie.</summary>
    private static string? CallerKeyOf(HttpContext context) =>
        context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId ? $"user:{userId}"
        : VisitorCookie.Read(context) is { } visitorId ? $"visitor:{visitorId:N}"
        : null;

    private static string IpOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static async ValueTask WriteRejectionAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        if (ThrottledFormRedirect(rejected.HttpContext.Request.Path) is { } formPage)
        {
            // The sign-in and register forms are pages: they say it on the page, not in a JSON body.
            rejected.HttpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            rejected.HttpContext.Response.Headers.Location = formPage;
            return;
        }
        var tooManyStreams = IsStream(rejected.HttpContext);
        var result = ApiProblems.RetryLater(
            StatusCodes.Status429TooManyRequests,
            "Too many requests.",
            tooManyStreams ? "Too many streams are open for you at once; close one or poll instead." : "You are sending requests too fast; wait a moment and try again.",
            "rate-limited",
            retryAfter);
        await result.ExecuteAsync(rejected.HttpContext);
    }

    private static string? ThrottledFormRedirect(PathString path) =>
        path.Equals("/Account/Login", StringComparison.OrdinalIgnoreCase) ? "/Account/Login?error=throttled"
        : path.Equals("/Account/Register", StringComparison.OrdinalIgnoreCase) ? "/Account/Register?error=" + Uri.EscapeDataString("Too many attempts from your network; wait a minute and try again.")
        : null;
}
