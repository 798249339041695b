using System.Text.Json;
using BlazorJobs.App.Components.Pages.Admin;
using BlazorJobs.App.Services;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using MudBlazor.Services;

namespace BlazorJobs.Tests.Components;

/// <summary>
/// The admin page's rollout console, over a fake <see cref="IRolloutAdmin"/> and admin-stream-interop.js mocked
/// through bunit's JS interop (a test plays the admin stream's events as the module would): what an admin
/// sees and what their clicks change.
/// </summary>
public abstract class RolloutConsoleTestContext : BunitContext, IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 29, 23, 30, 0, TimeSpan.Zero);

    private protected readonly FakeRolloutAdmin _rollout = new();
    protected readonly BunitJSModuleInterop _module;
    protected readonly BunitJSModuleInterop _stream;

    protected RolloutConsoleTestContext()
    {
        // MudBlazor calls its own JS; only the rollout module's calls matter here.
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<IRolloutAdmin>(_rollout);
        Services.AddSingleton<TimeProvider>(new FixedClock(Now));
        AddAuthorization().SetAuthorized("admin@example.com").SetRoles("Admin");
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        _module = JSInterop.SetupModule(AdminStreamConnection.ModulePath);
        _stream = _module.SetupModule("openAdminStream", _ => true);
        _stream.SetupVoid("close").SetVoidResult();
        // The charts are drawn at their box's measured size (MatchBoundsToSize); without a size they draw nothing.
        JSInterop.Setup<MudBlazor.Interop.ElementSize>("mudObserveElementSize", _ => true)
            .SetResult(new MudBlazor.Interop.ElementSize { Width = 600, Height = 240 });
    }

    /// <summary>The reference the console handed to the module for the stream's events.</summary>
    protected DotNetObjectReference<AdminStreamCallbacks> CallbacksReference =>
        (DotNetObjectReference<AdminStreamCallbacks>)_module.Invocations["openAdminStream"].Single().Arguments[2]!;

    /// <summary>Plays an event of the admin stream, on the renderer's thread as Blazor does.</summary>
    protected Task StreamAsync(IRenderedComponent<RolloutConsole> cut, Func<AdminStreamCallbacks, Task> callback) =>
        cut.InvokeAsync(() => callback(CallbacksReference.Value));

    protected static Task OnStats(AdminStreamCallbacks callbacks, RolloutStats stats) =>
        callbacks.OnEvent("stats", JsonSerializer.SerializeToElement(stats, AdminStreamConnection.Json));

    protected static Task OnChanged(AdminStreamCallbacks callbacks, RolloutView view) =>
        callbacks.OnEvent("changed", JsonSerializer.SerializeToElement(view, AdminStreamConnection.Json));

    protected static RolloutStats Stats(params VariantFigures[] variants) => new(variants, Now, WindowMinutes: 5, MinSample: 100);

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are disposed asynchronously (see ChatTestContext).
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
