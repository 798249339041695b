namespace BlazorJobs.Server.Feed;

/// <summary>
/// One source of feed items: a table grown by one part of the platform, read with its own query.
/// Sources are grouped by expected latency (small tables first), and a stream sends each group's
/// items the moment the group is ready.
/// </summary>
/// <param name="Type">The item type and id prefix.</param>
/// <param name="Group">fast, medium or slow.</param>
/// <param name="From">FROM/JOIN/WHERE clause (WHERE may be "WHERE true").</param>
/// <param name="Date">The sort date column.</param>
/// <param name="Key">The key column (bigint or uuid); an item id is <c>type:key</c>.</param>
/// <param name="KeyIsUuid">uuid keys print as 32 hex digits, bigint keys zero-padded to 19 digits, so text order equals key order.</param>
/// <param name="Title">SQL for the title.</param>
/// <param name="Summary">SQL for the summary.</param>
/// <param name="Url">SQL for the link, or NULL.</param>
public sealed record FeedSource(string Type, string Group, string From, string Date, string Key, bool KeyIsUuid, string Title, string Summary, string Url)
{
    public string KeyText => KeyIsUuid ? $"replace({Key}::text, '-', '')" : $"lpad({Key}::text, 19, '0')";
}

/// <summary>The feed's sources; replaceable in tests (e.g. with a failing one).</summary>
public interface IFeedSourceCatalog
{
    IReadOnlyList<FeedSource> Sources { get; }
}

public sealed class FeedSourceCatalog : IFeedSourceCatalog
{
    public const string Fast = "fast";
    public const string Medium = "medium";
    public const string Slow = "slow";

    public IReadOnlyList<FeedSource> Sources { get; } =
    [
        new("announcement", Fast, "FROM announcements a WHERE true", "a.published_at", "a.id", false,
            "a.title", "left(a.body, 240)", "NULL"),
        new("course", Fast, "FROM courses c WHERE c.published", "c.published_at", "c.id", true,
            "'New course: ' || c.title", "c.summary", "'/courses/' || c.slug"),
        new("lesson", Fast, "FROM lessons l JOIN courses c ON c.id = l.course_id AND c.published WHERE true", "l.published_at", "l.id", true,
            "'New lesson in ' || c.title || ': ' || l.title", "l.summary", "'/courses/' || c.slug || '?lesson=' || l.slug"),
        new("live", Fast, "FROM live_sessions s JOIN courses c ON c.id = s.course_id WHERE true", "s.announced_at", "s.id", false,
            "'Live Q&A: ' || s.title", "'A live session for ' || c.title || ' on ' || to_char(s.starts_at AT TIME ZONE 'UTC', 'FMDD Mon, HH24:MI') || ' UTC.'", "'/courses/' || c.slug"),
        new("milestone", Fast, "FROM feed_activities m WHERE true", "m.sort_date", "m.id", false,
            "m.title", "m.summary", "m.url"),
        new("review", Medium, "FROM course_reviews r JOIN courses c ON c.id = r.course_id WHERE true", "r.created_at", "r.id", false,
            "c.title || ' rated ' || r.rating || ' out of 5'", "left(r.comment, 240)", "'/courses/' || c.slug"),
        new("certificate", Medium, "FROM certificates x JOIN courses c ON c.id = x.course_id WHERE true", "x.issued_at", "x.id", false,
            "'A learner completed ' || c.title", "'Another certificate of completion for ' || c.title || '.'", "'/courses/' || c.slug"),
        new("discussion", Medium, "FROM discussion_posts d JOIN lessons l ON l.id = d.lesson_id JOIN courses c ON c.id = l.course_id WHERE true", "d.created_at", "d.id", false,
            "'New discussion: ' || d.subject", "'In ' || c.title || ', lesson ' || l.title || '.'", "'/courses/' || c.slug || '?lesson=' || l.slug"),
        new("enrolment", Slow, "FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE true", "e.enrolled_at", "e.id", false,
            "'A learner joined ' || c.title", "c.summary", "'/courses/' || c.slug"),
        new("completion", Slow, "FROM lesson_completions p JOIN lessons l ON l.id = p.lesson_id JOIN courses c ON c.id = l.course_id WHERE true", "p.completed_at", "p.id", false,
            "'A learner finished ' || l.title", "'Lesson ' || l.position || ' of ' || c.title || '.'", "'/courses/' || c.slug || '?lesson=' || l.slug"),
        // Anonymised: which course, never who asked or what.
        new("answer", Slow, "FROM jobs j JOIN courses c ON c.id = j.course_id WHERE j.kind = 'tutor' AND j.status = 'COMPLETED'", "j.completed_at", "j.id", true,
            "'The tutor answered a question about ' || c.title", "'Learners in ' || c.title || ' are asking the tutor as they study.'", "'/courses/' || c.slug"),
    ];
}
