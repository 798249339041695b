using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace BlazorJobs.Server.Tutor;

/// <summary>
/// The landing guide's answers about the catalogue itself ("which course should a beginner start
/// with?", "what courses do you have?"): lesson text cannot answer those, the course list can.
/// </summary>
public sealed partial class CatalogGuide(NpgsqlDataSource dataSource)
{
    private sealed record CourseRow(string Slug, string Title, string Summary, string Level, int DurationHours, int Lessons);

    /// <summary>True when the question is about choosing or listing courses rather than about a topic.</summary>
    public static bool IsAbout(string question) => CataloguePattern().IsMatch(question);

    /// <summary>
    /// The topic of "which course teaches PostgreSQL indexes?" ("PostgreSQL indexes?"), or the question as it is. The frame
    /// is not part of the topic: "course" and "teaches" matched lesson text of their own and pulled the search away from it.
    /// </summary>
    public static string TopicOf(string question) =>
        CourseForTopicPattern().Match(question) is { Success: true } frame && frame.Length < question.Trim().Length
            ? question.Trim()[frame.Length..]
            : question;

    public async Task<TutorAnswer> AnswerAsync(string question, CancellationToken cancellationToken)
    {
        var courses = await LoadAsync(cancellationToken);
        var wantsBeginner = BeginnerPattern().IsMatch(question);
        var answer = new StringBuilder();
        if (wantsBeginner && courses.FirstOrDefault(c => c.Level.Equals("Beginner", StringComparison.OrdinalIgnoreCase)) is { } first)
        {
            answer.Append($"Start with **{first.Title}**: it is our beginner course ({first.Lessons} lessons, about {first.DurationHours} hours). {first.Summary}\n\n");
            answer.Append("After it, the courses build on each other in this order:\n\n");
        }
        else
        {
            answer.Append($"There are {courses.Count} courses, in the order they build on each other:\n\n");
        }
        foreach (var course in courses)
        {
            answer.Append($"- [{course.Title}](/courses/{course.Slug}) — {course.Level}, {course.Lessons} lessons, about {course.DurationHours} h. {course.Summary}\n");
        }
        answer.Append("\nAsk me about any topic in them and I will point you to the lesson that covers it.");

        var sources = courses.Take(3).Select(c => new Source(c.Title, $"/courses/{c.Slug}")).ToList();
        List<string> suggestions = courses.Count > 1
            ? [$"What will I learn in {courses[0].Title}?", $"What does {courses[1].Title} cover?", "How do I centre an element with flexbox?"]
            : ["How do I centre an element with flexbox?"];
        return new TutorAnswer(answer.ToString(), suggestions, sources);
    }

    private async Task<List<CourseRow>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT c.slug, c.title, c.summary, c.level, c.duration_hours, (SELECT count(*) FROM lessons l WHERE l.course_id = c.id)::int
            FROM courses c WHERE c.published ORDER BY c.sort_order
            """);
        var rows = new List<CourseRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new CourseRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetInt32(5)));
        }
        return rows;
    }

    /// <summary>"(do you) teach", "covers", "goes over"…: after "which course", what makes it a question about a topic.</summary>
    private const string TeachesATopic = @"(?:(?:do|does|will)\s+(?:i|you)\s+)?(?:teach(?:es)?|covers?|explains?|includes?|has|talks? about|goes? over|is about)";

    // About choosing or listing courses — not "what courses cover flexbox?" or "which course teaches PostgreSQL indexes?"
    // (one of the landing page's first questions), which are topic questions: the lessons answer them, naming their course.
    [GeneratedRegex(@"\bwhich courses?\b(?!\s+" + TeachesATopic + @"\b)|\bwhat courses? (do|are|can|should|would)\b|\b(courses?|catalog(ue)?)\b.*\b(offer|available|have|recommend)\b|\bwhere (do|should|can) i (start|begin)\b|\bbeginners?\b.*\bcourses?\b|\bcourses?\b.*\bbeginners?\b|\bstart with\b", RegexOptions.IgnoreCase)]
    private static partial Regex CataloguePattern();

    [GeneratedRegex(@"^(?:in\s+)?(?:which|what)\s+courses?\s+" + TeachesATopic + @"\s+", RegexOptions.IgnoreCase)]
    private static partial Regex CourseForTopicPattern();

    [GeneratedRegex(@"\b(beginner|new to|start|first|never|novice|basics)\b", RegexOptions.IgnoreCase)]
    private static partial Regex BeginnerPattern();
}
