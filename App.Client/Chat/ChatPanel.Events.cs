namespace BlazorJobs.App.Client.Chat;

/// <summary>What the browser module tells the chat, applied to the conversation (which decides what it means).</summary>
public partial class ChatPanel
{
    Task IChatEvents.OnJobAcceptedAsync(string idempotencyKey, ChatJob job) => RenderIf(_conversation.Accepted(idempotencyKey, job));

    Task IChatEvents.OnJobUpdateAsync(JobUpdate update) => RenderIf(_conversation.Apply(update));

    Task IChatEvents.OnJobCompletedAsync(Guid jobId, ChatResult result, string transport) =>
        RenderIf(_conversation.Complete(jobId, result, transport));

    Task IChatEvents.OnJobEndedAsync(JobEnd end) => RenderIf(_conversation.End(end));

    /// <summary>Another tab asked or retried something: the conversation decides whether that is news here.</summary>
    Task IChatEvents.OnSessionActivityAsync(SessionActivity activity) =>
        _conversation.IsNews(activity) ? ReloadHistoryAsync() : Task.CompletedTask;

    Task IChatEvents.OnConnectivityAsync(bool online)
    {
        _online = online;
        return RenderIf(true);
    }

    private Task RenderIf(bool changed)
    {
        if (changed && !_disposed)
        {
            StateHasChanged();
        }
        return Task.CompletedTask;
    }
}
