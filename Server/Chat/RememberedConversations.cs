using BlazorJobs.App.Client.Chat;
using BlazorJobs.App.Services;
using Npgsql;

namespace BlazorJobs.Server.Chat;

/// <summary>The pages' question "will this chat show a conversation again?", answered from the sessions table.</summary>
public sealed partial class RememberedConversations(ChatHistory history, ILogger<RememberedConversations> logger) : IRememberedConversations
{
    public async Task<bool> ExistsAsync(HttpContext page, ChatEndpoint chat, Guid? courseId, CancellationToken cancellationToken = default)
    {
        var bot = chat.UsesBearerToken ? Chatbot.Tutor : Chatbot.Landing;
        // On a page the learner is signed in by cookie, the identity the tutor's bearer token is issued for.
        if (bot.CallerOf(page) is not { } caller)
        {
            return false;
        }
        try
        {
            return await history.AnyAsync(bot, caller.OwnerKey, courseId, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // Only a hint for the first paint: the chat loads its history itself and reports what fails.
            LogLookupFailed(e);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell whether the caller has a conversation; the page shows the greeting.")]
    private partial void LogLookupFailed(Exception e);
}
