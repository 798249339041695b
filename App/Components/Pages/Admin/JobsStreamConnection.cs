using BlazorJobs.App.Services;
using Microsoft.JSInterop;

namespace BlazorJobs.App.Components.Pages.Admin;

/// <summary>What the dashboard's stream reports.</summary>
public interface IJobsStreamListener
{
    Task OnSnapshotAsync(JobsSnapshot snapshot);

    Task OnConnectionAsync(RolloutStreamStatus status);
}

/// <summary>
/// The dashboard's side of the JS interop: follows <c>GET /api/admin/jobs/stream</c> through
/// <c>jobs-interop.js</c> (sse-client.js in the browser, as the rollout console) and hands its snapshots
/// to a listener. Dispose closes the stream and releases both references.
/// </summary>
public sealed class JobsStreamConnection(IJSRuntime js) : IAsyncDisposable
{
    public const string ModulePath = "./js/jobs-interop.js";
    public const string StreamUrl = "/api/admin/jobs/stream";

    private IJSObjectReference? _module;
    private IJSObjectReference? _stream;
    private DotNetObjectReference<JobsStreamCallbacks>? _callbacks;

    public async Task OpenAsync(IJobsStreamListener listener)
    {
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", ModulePath);
        _callbacks = DotNetObjectReference.Create(new JobsStreamCallbacks(listener));
        _stream = await _module.InvokeAsync<IJSObjectReference>("openJobsStream", StreamUrl, _callbacks);
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

/// <summary>The [JSInvokable] bridge for <c>jobs-interop.js</c>.</summary>
public sealed class JobsStreamCallbacks(IJobsStreamListener listener)
{
    [JSInvokable] public Task OnSnapshot(JobsSnapshot snapshot) => listener.OnSnapshotAsync(snapshot);

    [JSInvokable]
    public Task OnConnection(string status) => listener.OnConnectionAsync(status switch
    {
        "live" => RolloutStreamStatus.Live,
        "reconnecting" => RolloutStreamStatus.Reconnecting,
        _ => RolloutStreamStatus.Stopped,
    });
}
