using System.Text.RegularExpressions;

namespace BlazorJobs.App.Client.Chat;

/// <summary>
/// Which link targets an answer may carry: http(s) and relative URLs only, so a crafted answer or
/// source cannot smuggle in <c>javascript:</c>, <c>data:</c> or a protocol-relative host.
/// </summary>
public static partial class SafeUrl
{
    public static bool IsAllowed(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }
        // Browsers ignore tabs, newlines and leading spaces or controls in a URL ("java\tscript:"), so the check does too.
        var compact = string.Concat(url.Where(c => c > ' '));
        if (compact.StartsWith("//", StringComparison.Ordinal) || compact.StartsWith('\\') || compact.StartsWith("/\\", StringComparison.Ordinal))
        {
            return false; // another host, without saying so
        }
        var scheme = Scheme().Match(compact);
        return !scheme.Success || scheme.Groups[1].Value.ToLowerInvariant() is "http" or "https";
    }

    [GeneratedRegex("^([a-zA-Z][a-zA-Z0-9+.-]*):")]
    private static partial Regex Scheme();
}
