using System.Text.Json;
using BlazorJobs.App.Components.Pages.Admin;
using BlazorJobs.App.Services;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorJobs.Tests.Components;

/// <summary>
/// The admin page's rollout console, over a fake <see cref="IRolloutAdmin"/> and the mocked admin stream
/// (<see cref="AdminStreamTestContext"/>): what an admin sees and what their clicks change.
/// </summary>
public abstract class RolloutConsoleTestContext : AdminStreamTestContext
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 29, 23, 30, 0, TimeSpan.Zero);

    private protected readonly FakeRolloutAdmin _rollout;

    protected RolloutConsoleTestContext() : this(new FakeRolloutAdmin())
    {
    }

    private RolloutConsoleTestContext(FakeRolloutAdmin rollout) : base(services => services
        .AddSingleton<IRolloutAdmin>(rollout)
        .AddSingleton<TimeProvider>(new FixedClock(Now)))
    {
        _rollout = rollout;
        // The charts are drawn at their box's measured size (MatchBoundsToSize); without a size they draw nothing.
        JSInterop.Setup<MudBlazor.Interop.ElementSize>("mudObserveElementSize", _ => true)
            .SetResult(new MudBlazor.Interop.ElementSize { Width = 600, Height = 240 });
    }

    /// <summary>Plays an event of the admin stream, on the renderer's thread as Blazor does.</summary>
    protected Task StreamAsync(IRenderedComponent<RolloutConsole> cut, Func<AdminStreamCallbacks, Task> callback) =>
        cut.InvokeAsync(() => callback(CallbacksReference.Value));

    protected static Task OnStats(AdminStreamCallbacks callbacks, RolloutStats stats) =>
        callbacks.OnEvent("stats", JsonSerializer.SerializeToElement(stats, AdminStreamConnection.Json));

    protected static Task OnChanged(AdminStreamCallbacks callbacks, RolloutView view) =>
        callbacks.OnEvent("changed", JsonSerializer.SerializeToElement(view, AdminStreamConnection.Json));

    protected static RolloutStats Stats(params VariantFigures[] variants) => new(variants, Now, WindowMinutes: 5, MinSample: 100);
}
