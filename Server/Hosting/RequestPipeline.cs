using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Catalog;
using BlazorJobs.Server.Chat;
using BlazorJobs.Server.Delivery;
using BlazorJobs.Server.Events;
using BlazorJobs.Server.Feed;
using BlazorJobs.Server.Operations;
using BlazorJobs.Server.Rollout;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;

namespace BlazorJobs.Server.Hosting;

public static class RequestPipeline
{
    public static WebApplication UseBlazorJobs(this WebApplication app)
    {
        UseForwardedHeadersFromConfiguredProxies(app);
        app.UseSecurityHeaders();
        app.UseErrorResponses();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseSiteFileCompression();
        app.UseStaticFiles(); // the root wwwroot/: js/sse-client.js, css
        app.UseApiRequestBodyLimit();
        app.UseNulCharacterGuard();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();

        var instance = app.Services.GetRequiredService<InstanceIdentity>();
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            // Which instance answered, behind a load balancer: the id the dashboard and jobs.claimed_by show.
            ResponseWriter = (context, report) =>
            {
                context.Response.Headers[InstanceIdentity.Header] = instance.Id;
                context.Response.ContentType = "text/plain";
                return context.Response.WriteAsync(report.Status.ToString());
            },
        });
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = _ => false });
        app.MapMetrics();

        app.MapAuthApi();
        app.MapAccountPages();
        app.MapChatbotApis();
        app.MapDeliveryApi();
        app.MapCatalogApi();
        app.MapRolloutApi();
        app.MapAdminJobsApi();
        app.MapFeedApi();
        app.MapEventsApi();

        app.MapStaticAssets();
        app.MapBlazorJobsUi();
        app.MapUnknownAddressFallback();
        return app;
    }

    /// <summary>
    /// <c>X-Forwarded-For</c> is believed only from the proxies listed in <c>ForwardedHeaders:KnownProxies</c>;
    /// with none listed it is ignored (ASP.NET Core would otherwise trust loopback), so a client cannot
    /// pick its own IP to dodge a per-IP limit.
    /// </summary>
    private static void UseForwardedHeadersFromConfiguredProxies(WebApplication app)
    {
        var proxies = app.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
        if (proxies.Length == 0)
        {
            return;
        }
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        }
        app.UseForwardedHeaders(options);
    }
}
