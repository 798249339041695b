using Microsoft.JSInterop;

namespace BlazorJobs.App.Client.Feed;

/// <summary>
/// The feed's side of the JS interop: opens a feed stream through <c>feed-interop.js</c> (which uses
/// <c>openFeed</c> of sse-client.js, with its JSON fallback) and hands the callbacks to a listener.
/// Dispose closes the stream and releases both references.
/// </summary>
public sealed class FeedConnection(IJSRuntime js) : IAsyncDisposable
{
    public const string ModulePath = "./js/feed-interop.js";

    private IJSObjectReference? _module;
    private readonly List<IJSObjectReference> _open = [];
    private readonly List<IDisposable> _callbacks = [];

    /// <summary>Opens <paramref name="url"/> (a /api/feed/stream URL); returns a handle to close it early.</summary>
    public async Task<IJSObjectReference> OpenAsync(string url, IFeedListener listener)
    {
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", ModulePath);
        var callbacks = DotNetObjectReference.Create(new FeedCallbacks(listener));
        _callbacks.Add(callbacks);
        var handle = await _module.InvokeAsync<IJSObjectReference>("openFeedStream", url, callbacks);
        _open.Add(handle);
        return handle;
    }

    /// <summary>Calls <see cref="IFeedListener.OnNearEnd"/> when the element scrolls into view (infinite scroll).</summary>
    public async Task ObserveAsync(Microsoft.AspNetCore.Components.ElementReference sentinel, IFeedListener listener)
    {
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", ModulePath);
        var callbacks = DotNetObjectReference.Create(new FeedCallbacks(listener));
        _callbacks.Add(callbacks);
        _open.Add(await _module.InvokeAsync<IJSObjectReference>("observeNearEnd", sentinel, callbacks));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var handle in _open)
        {
            try
            {
                await handle.InvokeVoidAsync("close");
                await handle.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit or page is gone, and the stream with it.
            }
        }
        foreach (var callbacks in _callbacks)
        {
            callbacks.Dispose();
        }
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
            }
        }
    }
}

/// <summary>What a feed stream reports.</summary>
public interface IFeedListener
{
    Task OnItemsAsync(IReadOnlyList<FeedItemView> items, bool live);
    Task OnCompleteAsync(string? nextCursor);
    Task OnErrorAsync(string message);
    Task OnFallbackAsync();
    Task OnNearEndAsync();
}

/// <summary>The [JSInvokable] bridge (the module batches item callbacks to at most one per 100 ms).</summary>
public sealed class FeedCallbacks(IFeedListener listener)
{
    [JSInvokable] public Task OnItems(List<FeedItemView> items, bool live) => listener.OnItemsAsync(items, live);
    [JSInvokable] public Task OnComplete(string? nextCursor) => listener.OnCompleteAsync(nextCursor);
    [JSInvokable] public Task OnError(string message) => listener.OnErrorAsync(message);
    [JSInvokable] public Task OnFallback() => listener.OnFallbackAsync();
    [JSInvokable] public Task OnNearEnd() => listener.OnNearEndAsync();
}
