using MudBlazor;

namespace BlazorJobs.App.Client.Feed;

/// <summary>How items look: an icon per kind and times relative to now.</summary>
public static class FeedPresentation
{
    public static string Icon(string type) => type switch
    {
        "announcement" => Icons.Material.Filled.Campaign,
        "course" => Icons.Material.Filled.School,
        "lesson" => Icons.Material.Filled.MenuBook,
        "live" => Icons.Material.Filled.LiveTv,
        "milestone" => Icons.Material.Filled.EmojiEvents,
        "review" => Icons.Material.Filled.StarRate,
        "certificate" => Icons.Material.Filled.WorkspacePremium,
        "discussion" => Icons.Material.Filled.Forum,
        "enrolment" => Icons.Material.Filled.PersonAdd,
        "completion" => Icons.Material.Filled.TaskAlt,
        "answer" => Icons.Material.Filled.QuestionAnswer,
        _ => Icons.Material.Filled.Circle,
    };

    public static string RelativeTime(DateTimeOffset when, DateTimeOffset now)
    {
        var ago = now - when;
        if (ago < TimeSpan.FromMinutes(1))
        {
            return ago < TimeSpan.Zero ? "soon" : "just now";
        }
        if (ago < TimeSpan.FromHours(1))
        {
            return $"{(int)ago.TotalMinutes} min ago";
        }
        if (ago < TimeSpan.FromDays(1))
        {
            return $"{(int)ago.TotalHours} h ago";
        }
        if (ago < TimeSpan.FromDays(30))
        {
            var days = (int)ago.TotalDays;
            return days == 1 ? "yesterday" : $"{days} days ago";
        }
        return when.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
    }
}
