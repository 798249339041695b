using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Api.Support;

// Apps whose abuse limits are low enough to reach in a test. Test clients all come from 127.0.0.1, so these
// apps believe X-Forwarded-For from it (ForwardedHeaders:KnownProxies): a test picks each caller's IP.

/// <summary>An app behind a "proxy" on 127.0.0.1: <see cref="FromIp"/> makes a client that comes from any IP.</summary>
public abstract class BehindProxyFixture : AppFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("ForwardedHeaders:KnownProxies:0", "127.0.0.1")];

    /// <summary>A client (its own cookie jar) whose requests the app sees as coming from <paramref name="ip"/>.</summary>
    public HttpClient FromIp(string ip, System.Net.CookieContainer? cookies = null)
    {
        var client = CreateClient(cookies: cookies);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", ip);
        return client;
    }
}

/// <summary>Five sign-ins and three registrations a minute per IP.</summary>
public sealed class SignInLimitFixture : BehindProxyFixture
{
    public const int SignInsPerIp = 5;
    public const int RegistrationsPerIp = 3;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        .. base.Settings,
        new("RateLimits:SignIn:PerIpPermitsPerMinute", SignInsPerIp.ToString()),
        new("RateLimits:Register:PerIpPermitsPerMinute", RegistrationsPerIp.ToString()),
    ];
}

/// <summary>Three tutor runs (asks and retries) and five cancels a minute per caller; jobs stay open so they can be stopped.</summary>
public sealed class RetryLimitFixture : SlowTutorFixture
{
    public const int RunsPerCaller = 3;
    public const int CancelsPerCaller = 5;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        .. base.Settings,
        new("RateLimits:Tutor:PermitsPerMinute", RunsPerCaller.ToString()),
        new("RateLimits:Landing:PermitsPerMinute", RunsPerCaller.ToString()),
        new("RateLimits:Landing:PerIpPermitsPerMinute", "1000"),
        new("RateLimits:Cancel:PermitsPerMinute", CancelsPerCaller.ToString()),
    ];
}

/// <summary>Two open streams per caller, three anonymous streams per IP, and live feeds that time out after two seconds.</summary>
public sealed class FeedStreamLimitFixture : BehindProxyFixture
{
    public const int MaxOpenPerCaller = 2;
    public const int MaxOpenPerIp = 3;
    public static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(2);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        .. base.Settings,
        new("Feed:SeedActivityRows", "0"),
        new("Streams:MaxOpenPerCaller", MaxOpenPerCaller.ToString()),
        new("Streams:MaxOpenPerIp", MaxOpenPerIp.ToString()),
        new("Streams:TimeoutSeconds", StreamTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Streams:HeartbeatSeconds", "0.5"),
    ];

    /// <summary>A visitor from <paramref name="ip"/> with a <c>bj_visitor</c> cookie of its own (a new cookie costs nothing).</summary>
    public HttpClient VisitorFromIp(string ip)
    {
        var cookies = new System.Net.CookieContainer();
        cookies.Add(BaseAddress, new System.Net.Cookie("bj_visitor", Guid.NewGuid().ToString("N")));
        return FromIp(ip, cookies);
    }
}

/// <summary>Security stamps are re-read every half second, and tutor jobs stay open, so a test sees a sign-out take effect.</summary>
public sealed class SignOutFixture : SlowTutorFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [.. base.Settings, new("Auth:SecurityStampCheckSeconds", "0.5")];
}
