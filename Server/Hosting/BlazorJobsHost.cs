using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Data.Seed;

namespace BlazorJobs.Server.Hosting;

/// <summary>
/// Builds and starts the whole app. <c>Program</c> uses it, and so do the integration tests and
/// benchmarks, so they run exactly what production runs (real Kestrel, real PostgreSQL).
/// </summary>
public static class BlazorJobsHost
{
    public const string ApplicationName = "BlazorJobs.Server";

    /// <summary>The started app, its embedded database (when it started one) and the demo logins it set up.</summary>
    public sealed record Running(WebApplication App, EmbeddedPostgres? Embedded, IReadOnlyList<DemoAccounts.Login> DemoLogins);

    /// <param name="configure">Lets a test or benchmark add configuration or replace services before the app is built.</param>
    public static async Task<Running> StartAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var site = SiteRoot.Locate();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = site.ContentRoot,
            WebRootPath = site.WebRoot,
            // Fixed, so the static web assets manifests are found whoever hosts the app (a test runner, too).
            ApplicationName = ApplicationName,
        });
        // Framework and library assets (_framework, _content/MudBlazor) in every environment, not only Development.
        builder.WebHost.UseStaticWebAssets();
        configure?.Invoke(builder);

        var embedded = await builder.AddBlazorJobsAsync();
        try
        {
            var app = builder.Build();
            app.UseBlazorJobs();
            var logins = await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(embedded is not null, app.Lifetime.ApplicationStopping);
            await app.StartAsync();
            return new Running(app, embedded, logins);
        }
        catch
        {
            if (embedded is not null)
            {
                await embedded.StopAsync();
            }
            throw;
        }
    }
}
