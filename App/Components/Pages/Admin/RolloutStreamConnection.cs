using BlazorJobs.App.Services;
using Microsoft.JSInterop;

namespace BlazorJobs.App.Components.Pages.Admin;

/// <summary>Where the admin stream stands, as the page shows it.</summary>
public enum RolloutStreamStatus
{
    Connecting,
    Live,
    Reconnecting,
    Stopped,
}

/// <summary>What the admin stream reports.</summary>
public interface IRolloutStreamListener
{
    Task OnStatsAsync(RolloutStats stats);

    Task OnChangedAsync(RolloutView view);

    Task OnConnectionAsync(RolloutStreamStatus status);
}

/// <summary>
/// The console's side of the JS interop: follows <c>GET /api/admin/rollout/stream</c> through
/// <c>rollout-interop.js</c> (which reads it with sse-client.js, reconnecting with back-off) and hands
/// its events to a listener. Dispose closes the stream and releases both references.
/// </summary>
public sealed class RolloutStreamConnection(IJSRuntime js) : IAsyncDisposable
{
    public const string ModulePath = "./js/rollout-interop.js";
    public const string StreamUrl = "/api/admin/rollout/stream";

    private IJSObjectReference? _module;
    private IJSObjectReference? _stream;
    private DotNetObjectReference<RolloutStreamCallbacks>? _callbacks;

    public async Task OpenAsync(IRolloutStreamListener listener)
    {
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", ModulePath);
        _callbacks = DotNetObjectReference.Create(new RolloutStreamCallbacks(listener));
        _stream = await _module.InvokeAsync<IJSObjectReference>("openRolloutStream", StreamUrl, _callbacks);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_stream is not null)
            {
                await _stream.InvokeVoidAsync("close");
                await _stream.DisposeAsync();
            }
            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit or page is gone, and the stream with it.
        }
        // Last, so no callback can reach a disposed listener while the stream is still open.
        _callbacks?.Dispose();
    }
}

/// <summary>The [JSInvokable] bridge for <c>rollout-interop.js</c>.</summary>
public sealed class RolloutStreamCallbacks(IRolloutStreamListener listener)
{
    [JSInvokable] public Task OnStats(RolloutStats stats) => listener.OnStatsAsync(stats);

    [JSInvokable] public Task OnChanged(RolloutView view) => listener.OnChangedAsync(view);

    [JSInvokable]
    public Task OnConnection(string status) => listener.OnConnectionAsync(status switch
    {
        "live" => RolloutStreamStatus.Live,
        "reconnecting" => RolloutStreamStatus.Reconnecting,
        _ => RolloutStreamStatus.Stopped,
    });
}
