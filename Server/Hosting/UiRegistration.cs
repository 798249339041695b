using BlazorJobs.App.Services;
using BlazorJobs.Server.Catalog;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BlazorJobs.Server.Hosting;

/// <summary>Wires the Blazor UI (App, App.Client) to the server's services.</summary>
public static class UiRegistration
{
    public static IServiceCollection AddBlazorJobsUi(this IServiceCollection services)
    {
        services.TryAddScoped<ICatalog, CatalogService>(); // Try: a test may register a failing one first
        services.AddSingleton<IRememberedConversations, BlazorJobs.Server.Chat.RememberedConversations>();
        services.AddSingleton<IVisitorIdentity, BlazorJobs.Server.Accounts.VisitorIdentity>();
        return services;
    }

    public static WebApplication MapBlazorJobsUi(this WebApplication app)
    {
        app.MapRazorComponents<BlazorJobs.App.Components.App>()
            .AddInteractiveServerRenderMode()
            .AddInteractiveWebAssemblyRenderMode()
            .AddAdditionalAssemblies(typeof(BlazorJobs.App.Client.LandingIsland).Assembly);
        return app;
    }
}
