using Microsoft.JSInterop;

namespace BlazorJobs.App.Client.Chat;

/// <summary>
/// The target of the <see cref="DotNetObjectReference"/> that chat-interop.js calls back. It only
/// forwards, and stops forwarding once its chat is disposed, so a callback already on its way
/// cannot touch a component that is gone.
/// </summary>
public sealed class ChatCallbacks(IChatEvents events)
{
    private volatile bool _detached;

    public void Detach() => _detached = true;

    [JSInvokable]
    public Task OnJobAccepted(string idempotencyKey, ChatJob job) =>
        _detached ? Task.CompletedTask : events.OnJobAcceptedAsync(idempotencyKey, job);

    [JSInvokable]
    public Task OnJobUpdate(JobUpdate update) => _detached ? Task.CompletedTask : events.OnJobUpdateAsync(update);

    [JSInvokable]
    public Task OnJobCompleted(Guid jobId, ChatResult result, string transport) =>
        _detached ? Task.CompletedTask : events.OnJobCompletedAsync(jobId, result, transport);

    [JSInvokable]
    public Task OnJobEnded(Guid jobId, string kind, string message, string? lastEventId, int status) =>
        _detached ? Task.CompletedTask : events.OnJobEndedAsync(new JobEnd(jobId, kind, message, lastEventId, status));

    [JSInvokable]
    public Task OnSessionActivity(SessionActivity activity) => _detached ? Task.CompletedTask : events.OnSessionActivityAsync(activity);

    [JSInvokable]
    public Task OnConnectivity(bool online) => _detached ? Task.CompletedTask : events.OnConnectivityAsync(online);
}
