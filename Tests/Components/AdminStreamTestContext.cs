using BlazorJobs.App.Components.Pages.Admin;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using MudBlazor.Services;

namespace BlazorJobs.Tests.Components;

/// <summary>
/// A bunit context for the admin pages that follow the admin stream (the rollout console, the operations dashboard):
/// MudBlazor's services, a signed-in admin, an interactive render, and admin-stream-interop.js mocked through bunit's
/// JS interop, so a test plays the stream's events as the module would.
/// </summary>
public abstract class AdminStreamTestContext : BunitContext, IAsyncLifetime
{
    /// <param name="addPageServices">The page's own services (its fakes): added first, since bunit takes none once one is resolved.</param>
    protected AdminStreamTestContext(Action<IServiceCollection> addPageServices)
    {
        // MudBlazor calls its own JS; only the admin stream module's calls matter here.
        JSInterop.Mode = JSRuntimeMode.Loose;
        addPageServices(Services);
        Services.AddMudServices();
        AddAuthorization().SetAuthorized("admin@example.com").SetRoles("Admin");
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        AdminModule = JSInterop.SetupModule(AdminStreamConnection.ModulePath);
        OpenedStream = AdminModule.SetupModule("openAdminStream", _ => true);
        OpenedStream.SetupVoid("close").SetVoidResult();
    }

    /// <summary>admin-stream-interop.js, as the page imports it.</summary>
    protected BunitJSModuleInterop AdminModule { get; }

    /// <summary>What <c>openAdminStream</c> returned: the page closes it when it is disposed.</summary>
    protected BunitJSModuleInterop OpenedStream { get; }

    /// <summary>The reference the page handed to the module for the stream's events.</summary>
    protected DotNetObjectReference<AdminStreamCallbacks> CallbacksReference =>
        (DotNetObjectReference<AdminStreamCallbacks>)AdminModule.Invocations["openAdminStream"].Single().Arguments[2]!;

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are disposed asynchronously (see ChatTestContext).
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
