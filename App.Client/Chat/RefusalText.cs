using System.Globalization;

namespace BlazorJobs.App.Client.Chat;

/// <summary>Why a request of the chat was refused, in words for the reader.</summary>
internal static class RefusalText
{
    public static string Describe<T>(ApiOutcome<T> outcome) => outcome switch
    {
        { Offline: true } or { Status: 0 } => "You seem to be offline.",
        { Status: 429 } => $"You have asked a lot in a short time. You can ask again {When(outcome.RetryAfter)}.",
        { Status: 401 } => "Your sign-in has expired. Sign in again to ask the tutor.",
        { Status: 400, Detail: { } detail } => detail,
        { Status: 503 } => $"The server is busy just now. Try again {When(outcome.RetryAfter)}.",
        { Status: >= 500 } => "The server could not take the question just now.",
        _ => outcome.Detail ?? outcome.Title ?? $"The request failed (HTTP {outcome.Status}).",
    };

    /// <summary>"in 40 seconds", "in about 2 minutes": when Retry-After (seconds or an HTTP date) lets the reader try again.</summary>
    internal static string When(string? retryAfter, DateTimeOffset? now = null)
    {
        TimeSpan? wait = null;
        if (int.TryParse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            wait = TimeSpan.FromSeconds(seconds);
        }
        else if (DateTimeOffset.TryParseExact(retryAfter, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            wait = at - (now ?? DateTimeOffset.UtcNow);
        }
        return wait switch
        {
            null => "in a minute",
            { TotalSeconds: <= 1 } => "now",
            { TotalSeconds: < 90 } w => $"in {Math.Ceiling(w.TotalSeconds):0} seconds",
            { TotalMinutes: < 90 } w => $"in about {Math.Ceiling(w.TotalMinutes):0} minutes",
            var w => $"in about {Math.Ceiling(w.Value.TotalHours):0} hours",
        };
    }
}
