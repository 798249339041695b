using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace BlazorJobs.App.Client.Chat;

/// <summary>
/// One behaviour of a component's collocated module (<c>Component.razor.js</c>) attached to one of
/// its elements, and detached when the component goes away. The module's function returns an
/// object with <c>dispose()</c>.
/// </summary>
internal sealed class ElementScript : IAsyncDisposable
{
    private IJSObjectReference? _module;
    private IJSObjectReference? _behaviour;

    /// <param name="modulePath">Relative to the app's base path: the client project's assets are served from its root.</param>
    /// <param name="callbacks">Passed after the element, for a behaviour that reports back (e.g. a <c>DotNetObjectReference</c>).</param>
    public async Task AttachAsync(IJSRuntime js, string modulePath, string function, ElementReference element, object? callbacks = null)
    {
        try
        {
            _module = await js.InvokeAsync<IJSObjectReference>("import", modulePath);
            _behaviour = callbacks is null
                ? await _module.InvokeAsync<IJSObjectReference>(function, element)
                : await _module.InvokeAsync<IJSObjectReference>(function, element, callbacks);
        }
        catch (JSDisconnectedException)
        {
            // The circuit went away while the component was rendering; nothing is left to attach to.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_behaviour is not null)
            {
                await _behaviour.InvokeVoidAsync("dispose");
                await _behaviour.DisposeAsync();
            }
            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (Exception ex) when (ex is JSDisconnectedException or TaskCanceledException or ObjectDisposedException)
        {
            // The page is gone, and the listeners with it.
        }
    }
}
