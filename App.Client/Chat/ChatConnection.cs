using System.Text.Json;
using Microsoft.JSInterop;

namespace BlazorJobs.App.Client.Chat;

/// <summary>
/// The one place where a chat talks to the browser: it imports chat-interop.js (which uses
/// sse-client.js), creates the page's chat client there with a <see cref="DotNetObjectReference"/>
/// for callbacks, and disposes both when the component goes away. The same code runs in
/// WebAssembly and in an Interactive Server circuit: every request is made by the browser.
/// </summary>
public sealed class ChatConnection : IAsyncDisposable
{
    public const string ModulePath = "./js/chat-interop.js";

    /// <summary>The caller's events stream (api.md), which the browser's tabs share: a session is followed in it.</summary>
    public const string EventsUrl = Contracts.EventsContract.Url;

    private readonly IJSObjectReference _module;
    private readonly IJSObjectReference _chat;
    private readonly ChatCallbacks _callbacks;
    private readonly DotNetObjectReference<ChatCallbacks> _callbacksReference;
    private int _disposed;

    private ChatConnection(IJSObjectReference module, IJSObjectReference chat, ChatCallbacks callbacks, DotNetObjectReference<ChatCallbacks> reference)
    {
        _module = module;
        _chat = chat;
        _callbacks = callbacks;
        _callbacksReference = reference;
    }

    /// <param name="antiforgeryToken">The page's antiforgery token: the tutor's module exchanges it (with the cookie) for a bearer token.</param>
    public static async Task<ChatConnection> OpenAsync(IJSRuntime js, ChatEndpoint endpoint, string? antiforgeryToken, IChatEvents events)
    {
        var module = await js.InvokeAsync<IJSObjectReference>("import", ModulePath);
        var callbacks = new ChatCallbacks(events);
        var reference = DotNetObjectReference.Create(callbacks);
        try
        {
            var options = new { basePath = endpoint.BasePath, useBearer = endpoint.UsesBearerToken, antiforgeryToken, eventsUrl = EventsUrl };
            var chat = await module.InvokeAsync<IJSObjectReference>("createChat", options, reference);
            return new ChatConnection(module, chat, callbacks, reference);
        }
        catch
        {
            reference.Dispose();
            await DisposeQuietlyAsync(module);
            throw;
        }
    }

    /// <summary>The early guide's questions still being enqueued have their jobs (see early-guide.js).</summary>
    public ValueTask EarlyQuestionsSettledAsync() => _module.InvokeVoidAsync("earlyQuestionsSettled");

    public ValueTask<bool> IsOnlineAsync() => _chat.InvokeAsync<bool>("isOnline");

    /// <summary>
    /// Enqueues a question; the module starts the job's delivery itself from the <c>202</c> body it
    /// received and reports <see cref="IChatEvents.OnJobAcceptedAsync"/> before any update of it.
    /// </summary>
    public ValueTask<ApiOutcome<ChatJob>> EnqueueAsync(ChatQuestion question) => _chat.InvokeAsync<ApiOutcome<ChatJob>>("enqueue", question);

    /// <summary>Retries a job; the module delivers it again from the <c>202</c> body, resuming after <paramref name="lastEventId"/>.</summary>
    public ValueTask<ApiOutcome<ChatJob>> RetryAsync(Guid jobId, string? lastEventId) =>
        _chat.InvokeAsync<ApiOutcome<ChatJob>>("retry", jobId, lastEventId);

    public ValueTask<ApiOutcome<JsonElement?>> CancelAsync(Guid jobId) => _chat.InvokeAsync<ApiOutcome<JsonElement?>>("cancel", jobId);

    /// <summary>Resumes a job's delivery (from history, or "keep waiting"); what it brings arrives through <see cref="IChatEvents"/>.</summary>
    public ValueTask DeliverAsync(ChatJob job, string? lastEventId) => _chat.InvokeVoidAsync("deliver", job, lastEventId);

    /// <summary>Stops following every job here (they go on on the server).</summary>
    public ValueTask StopAllDeliveriesAsync() => _chat.InvokeVoidAsync("stopAllDeliveries");

    public ValueTask<ApiOutcome<ChatSessionList>> ListSessionsAsync(Guid? courseId) =>
        _chat.InvokeAsync<ApiOutcome<ChatSessionList>>("listSessions", courseId);

    public ValueTask<ApiOutcome<ChatSessionHistory>> LoadHistoryAsync(Guid sessionId) =>
        _chat.InvokeAsync<ApiOutcome<ChatSessionHistory>>("history", sessionId);

    public ValueTask FollowSessionAsync(Guid sessionId) => _chat.InvokeVoidAsync("followSession", sessionId);

    public ValueTask UnfollowSessionAsync() => _chat.InvokeVoidAsync("unfollowSession");

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _callbacks.Detach();
        try
        {
            // Aborts every fetch, stream, timer and listener of this chat in the browser.
            await _chat.InvokeVoidAsync("dispose");
        }
        catch (Exception ex) when (IsGone(ex))
        {
            // The circuit or the page is gone, and everything in it with it.
        }
        await DisposeQuietlyAsync(_chat);
        await DisposeQuietlyAsync(_module);
        _callbacksReference.Dispose();
    }

    private static async ValueTask DisposeQuietlyAsync(IJSObjectReference reference)
    {
        try
        {
            await reference.DisposeAsync();
        }
        catch (Exception ex) when (IsGone(ex))
        {
        }
    }

    private static bool IsGone(Exception ex) => ex is JSDisconnectedException or TaskCanceledException or ObjectDisposedException;
}
