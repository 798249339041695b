namespace BlazorJobs.App.Client.Chat;

/// <summary>Why a request of the chat was refused, in words for the reader.</summary>
internal static class RefusalText
{
    public static string Describe<T>(ApiOutcome<T> outcome) => outcome switch
    {
        { Offline: true } or { Status: 0 } => "You seem to be offline.",
        { Status: 429 } => "You are asking very quickly. Wait a moment, then send it again.",
        { Status: 401 } => "Your sign-in has expired. Sign in again to ask the tutor.",
        { Status: 400, Detail: { } detail } => detail,
        { Status: >= 500 } => "The server could not take the question just now.",
        _ => outcome.Detail ?? outcome.Title ?? $"The request failed (HTTP {outcome.Status}).",
    };
}
