using BlazorJobs.App.Client.Chat;
using Microsoft.AspNetCore.Http;

namespace BlazorJobs.App.Services;

/// <summary>
/// Whether the caller of a page has a conversation its chat will show again. The page asks while it
/// is rendered on the server, so a reload shows "Loading your conversation…" at once instead of the
/// empty greeting (which would stand for seconds, until the chat is interactive and has the history).
/// Implemented by the server over its database.
/// </summary>
public interface IRememberedConversations
{
    /// <param name="page">The page's request: who is asking (the signed-in learner, or the visitor cookie).</param>
    /// <param name="chat">Which chat: the course tutor or the landing guide.</param>
    /// <param name="courseId">The tutor's course; null for the guide.</param>
    /// <returns>False when there is none, and when it cannot be told (the chat then loads as usual).</returns>
    Task<bool> ExistsAsync(HttpContext page, ChatEndpoint chat, Guid? courseId, CancellationToken cancellationToken = default);
}
