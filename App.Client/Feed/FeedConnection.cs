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
        // A live page takes its new items from the events stream the browser's tabs share (docs/sse-client.md).
        var handle = await _module.InvokeAsync<IJSObjectReference>("openFeedStream", url, callbacks, Contracts.EventsContract.Url);
        _open.Add(handle);
        return handle;
    }

    /// <summary>Closes one stream early (the reader asked to retry); the rest stay open.</summary>
    public async Task CloseAsync(IJSObjectReference handle)
    {
        if (_open.Remove(handle))
        {
            await CloseQuietlyAsync(handle);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var handle in _open)
        {
            await CloseQuietlyAsync(handle);
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

    private static async Task CloseQuietlyAsync(IJSObjectReference handle)
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
}

/// <summary>What a feed stream reports.</summary>
public interface IFeedListener
{
    Task OnItemsAsync(IReadOnlyList<FeedItemView> items, bool live);
    Task OnCompleteAsync(string? nextCursor);
    /// <summary>A group of sources failed; the rest of the page still comes.</summary>
    Task OnSourceFailedAsync(string message);
    /// <summary>The connection failed; <paramref name="willRetry"/> when the module tries again by itself.</summary>
    Task OnConnectionLostAsync(string message, bool willRetry);
    Task OnFallbackAsync();
}

/// <summary>The [JSInvokable] bridge (the module batches item callbacks to at most one per 100 ms).</summary>
public sealed class FeedCallbacks(IFeedListener listener)
{
    [JSInvokable] public Task OnItems(List<FeedItemView> items, bool live) => listener.OnItemsAsync(items, live);
    [JSInvokable] public Task OnComplete(string? nextCursor) => listener.OnCompleteAsync(nextCursor);
    [JSInvokable] public Task OnSourceFailed(string message) => listener.OnSourceFailedAsync(message);
    [JSInvokable] public Task OnConnectionLost(string message, bool willRetry) => listener.OnConnectionLostAsync(message, willRetry);
    [JSInvokable] public Task OnFallback() => listener.OnFallbackAsync();
}
