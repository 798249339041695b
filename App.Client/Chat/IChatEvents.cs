namespace BlazorJobs.App.Client.Chat;

/// <summary>What a chat component is told by the browser's delivery module (through <see cref="ChatConnection"/>).</summary>
public interface IChatEvents
{
    /// <summary>The module's enqueue was accepted and it started the job's delivery.</summary>
    /// <param name="idempotencyKey">The enqueue's key: the exchange's <see cref="ChatExchange.ClientId"/>.</param>
    Task OnJobAcceptedAsync(string idempotencyKey, ChatJob job);

    Task OnJobUpdateAsync(JobUpdate update);

    /// <param name="transport"><c>sse</c> or <c>polling</c>: what carried the result.</param>
    Task OnJobCompletedAsync(Guid jobId, ChatResult result, string transport);

    Task OnJobEndedAsync(JobEnd end);

    /// <summary>The session stream saw a job this page is not following (asked in another tab).</summary>
    Task OnSessionActivityAsync(SessionActivity activity);

    Task OnConnectivityAsync(bool online);
}
