using System.Reflection;
using System.Text.Json;
using BlazorJobs.Server.Data.Entities;
using BlazorJobs.Server.Hosting;
using Microsoft.EntityFrameworkCore;

namespace BlazorJobs.Server.Data.Seed;

/// <summary>
/// Seeds the demo catalogue from the JSON files embedded under <c>Data/SeedContent</c> (one course per
/// file, each lesson a list of paragraphs — a paragraph is one searchable chunk), and some feed
/// milestones. Idempotent: a course whose slug exists is left as it is.
/// </summary>
public sealed partial class CatalogSeeder(AppDbContext db, ILogger<CatalogSeeder> logger)
{
    private sealed record SeedCourse(string Slug, string Title, string Summary, string Level, int DurationHours, List<SeedLesson> Lessons);

    private sealed record SeedLesson(string Slug, string Title, string Summary, List<string> Paragraphs);

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var courses = LoadCourses();
        var existing = await db.Courses.Select(c => c.Slug).ToListAsync(cancellationToken);
        var order = 0;
        var added = new List<Course>();
        foreach (var seed in courses)
        {
            order++;
            if (existing.Contains(seed.Slug))
            {
                continue;
            }
            var course = new Course
            {
                Id = Guid.CreateVersion7(),
                Slug = seed.Slug,
                Title = seed.Title,
                Summary = seed.Summary,
                Level = seed.Level,
                DurationHours = seed.DurationHours,
                SortOrder = order,
                PublishedAt = DateTimeOffset.UtcNow.AddDays(-60 + 12 * order),
                Lessons = seed.Lessons.Select((lesson, i) => new Lesson
                {
                    PublishedAt = DateTimeOffset.UtcNow.AddDays(-60 + 12 * order).AddHours(20 * (i + 1)),
                    Id = Guid.CreateVersion7(),
                    Slug = lesson.Slug,
                    Title = lesson.Title,
                    Summary = lesson.Summary,
                    Position = i + 1,
                    Chunks = lesson.Paragraphs.Select((text, p) => new LessonChunk { Position = p + 1, Text = text }).ToList(),
                }).ToList(),
            };
            db.Courses.Add(course);
            added.Add(course);
        }

        if (added.Count > 0)
        {
            db.FeedActivities.AddRange(MilestonesFor(added));
            await db.SaveChangesAsync(cancellationToken);
            LogSeeded(added.Count, added.Sum(c => c.Lessons.Count), added.Sum(c => c.Lessons.Sum(l => l.Chunks.Count)));
        }
    }

    /// <summary>A few platform milestones for the feed (the rest of the activity comes from <see cref="Feed.FeedActivityGenerator"/>).</summary>
    private static IEnumerable<FeedActivity> MilestonesFor(IReadOnlyList<Course> courses)
    {
        var now = DateTimeOffset.UtcNow;
        yield return new FeedActivity
        {
            Type = "milestone",
            Title = "The course tutor is live",
            Summary = "Ask questions while you study: answers come from the lessons themselves, with links to read more.",
            Url = "/courses",
            SortDate = now.AddDays(-21),
        };
        yield return new FeedActivity
        {
            Type = "milestone",
            Title = $"{courses.Count} courses and {courses.Sum(c => c.Lessons.Count)} lessons published",
            Summary = "From semantic HTML to PostgreSQL: the whole catalogue is open.",
            Url = "/courses",
            SortDate = now.AddDays(-14),
        };
    }

    private static List<SeedCourse> LoadCourses()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames()
            .Where(name => name.Contains(".SeedContent.", StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                return JsonSerializer.Deserialize<SeedCourse>(stream, JsonDefaults.Options)
                    ?? throw new InvalidOperationException($"Seed file {name} is empty.");
            })
            .OrderBy(c => CourseOrder.IndexOf(c.Slug) is var i and >= 0 ? i : int.MaxValue)
            .ToList();
    }

    /// <summary>The catalogue's teaching order.</summary>
    private static readonly List<string> CourseOrder = ["html-css-foundations", "modern-javascript", "aspnet-core-web-apis", "postgresql-for-developers"];

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Courses} course(s), {Lessons} lesson(s), {Chunks} chunk(s)")]
    private partial void LogSeeded(int courses, int lessons, int chunks);
}
