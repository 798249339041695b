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

    /// <summary>How a row of repeats is told, by the wording its sources give their titles (FeedSources.cs).</summary>
    private static readonly (string Type, string Prefix, string Plural)[] RepeatWordings =
    [
        ("answer", "The tutor answered a question about ", "questions answered about "),
        ("enrolment", "A learner joined ", "learners joined "),
        ("certificate", "A learner completed ", "learners completed "),
        ("completion", "A learner finished ", "learners finished "),
    ];

    /// <summary>"12 questions answered about HTML &amp; CSS Foundations"; the item's own title when it is alone.</summary>
    public static string Title(FeedEntry entry)
    {
        var item = entry.Newest;
        if (!entry.IsGroup)
        {
            return item.Title;
        }
        foreach (var (type, prefix, plural) in RepeatWordings)
        {
            if (item.Type == type && item.Title.StartsWith(prefix, StringComparison.Ordinal))
            {
                return $"{entry.Count} {plural}{item.Title[prefix.Length..]}";
            }
        }
        return $"{item.Title} ({entry.Count} times)";
    }

    /// <summary>The time a repeat row covers: "within 47 min", from its oldest to its newest item.</summary>
    public static string Span(FeedEntry entry)
    {
        var minutes = (int)Math.Ceiling((entry.Newest.SortDate - entry.Oldest.SortDate).TotalMinutes);
        return minutes >= 60 ? "within the hour" : $"within {Math.Max(minutes, 1)} min";
    }

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
