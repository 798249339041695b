using System.Globalization;

namespace BlazorJobs.App.Components.Pages.Admin;

/// <summary>
/// How the admin page writes a moment. The page is rendered on the server, whose time zone means
/// nothing to an admin elsewhere: a moment is shown relative to now, with its exact time in UTC.
/// </summary>
public static class AdminTime
{
    public static string Relative(DateTimeOffset at, DateTimeOffset now)
    {
        // A moment slightly ahead (another instance's clock) is "just now", not "in 2 s".
        var ago = now - at;
        return ago switch
        {
            _ when ago < TimeSpan.FromMinutes(1) => "just now",
            _ when ago < TimeSpan.FromHours(1) => $"{(int)ago.TotalMinutes} min ago",
            _ when ago < TimeSpan.FromDays(1) => $"{(int)ago.TotalHours} h ago",
            _ when ago < TimeSpan.FromDays(2) => "yesterday",
            _ => $"{(int)ago.TotalDays} days ago",
        };
    }

    public static string Utc(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>For the <c>datetime</c> attribute of <c>&lt;time&gt;</c>.</summary>
    public static string Iso(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
