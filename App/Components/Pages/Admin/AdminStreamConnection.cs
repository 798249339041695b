using System.Text.Json;
using Microsoft.JSInterop;

namespace BlazorJobs.App.Components.Pages.Admin;

/// <summary>Where an admin page's stream stands, as the page shows it.</summary>
public enum AdminStreamStatus
{
    Connecting,
    Live,
    Reconnecting,
    Stopped,
}

/// <summary>What an admin stream reports to its page.</summary>
public interface IAdminStreamListener
{
    /// <summary>One event of a type the page asked for, its data as the server sent it (camelCase JSON).</summary>
    Task OnEventAsync(string type, JsonElement data);

    Task OnConnectionAsync(AdminStreamStatus status);
}

/// <summary>
/// An admin page's side of the JS interop (the rollout console, the operations dashboard): follows one
/// admin stream through <c>admin-stream-interop.js</c> (which reads it with sse-client.js, reconnecting
/// with back-off) and hands the events of the types asked for to a listener. Dispose closes the stream
/// and releases both references.
/// </summary>
public sealed class AdminStreamConnection(IJSRuntime js) : IAsyncDisposable
{
    public const string ModulePath = "./js/admin-stream-interop.js";

    /// <summary>How the stream's data reads into the page's records: the server writes them with the web defaults.</summary>
    public static JsonSerializerOptions Json => JsonSerializerOptions.Web;

    private IJSObjectReference? _module;
    private IJSObjectReference? _stream;
    private DotNetObjectReference<AdminStreamCallbacks>? _callbacks;

    public async Task OpenAsync(string url, IReadOnlyCollection<string> eventTypes, IAdminStreamListener listener)
    {
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", ModulePath);
        _callbacks = DotNetObjectReference.Create(new AdminStreamCallbacks(listener));
        _stream = await _module.InvokeAsync<IJSObjectReference>("openAdminStream", url, eventTypes, _callbacks);
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

/// <summary>The [JSInvokable] bridge for <c>admin-stream-interop.js</c>.</summary>
public sealed class AdminStreamCallbacks(IAdminStreamListener listener)
{
    [JSInvokable] public Task OnEvent(string type, JsonElement data) => listener.OnEventAsync(type, data);

    [JSInvokable]
    public Task OnConnection(string status) => listener.OnConnectionAsync(status switch
    {
        "live" => AdminStreamStatus.Live,
        "reconnecting" => AdminStreamStatus.Reconnecting,
        _ => AdminStreamStatus.Stopped,
    });
}
