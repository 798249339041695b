using System.Reflection;
using System.Text.Json;
using BlazorJobs.Server.Data.Entities;
using BlazorJobs.Server.Jobs;
using Microsoft.EntityFrameworkCore;

namespace BlazorJobs.Server.Data.Seed;

/// <summary>
/// Seeds the demo catalogue from the JSON files embedded under <c>Data/SeedContent</c> (one course per
/// file, each lesson a list of paragraphs — a paragraph is one searchable chunk), and some feed
/// activity. Idempotent: a course whose slug exists is left as it is.
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
                Lessons = seed.Lessons.Select((lesson, i) => new Lesson
                {
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
            db.FeedActivities.AddRange(FeedFor(added));
            await db.SaveChangesAsync(cancellationToken);
            LogSeeded(added.Count, added.Sum(c => c.Lessons.Count), added.Sum(c => c.Lessons.Sum(l => l.Chunks.Count)));
        }
    }

    /// <summary>A publication history for the feed: each lesson "published" over the past weeks.</summary>
    private static IEnumerable<FeedActivity> FeedFor(IEnumerable<Course> courses)
    {
        var now = DateTimeOffset.UtcNow;
        var step = 0;
        foreach (var course in courses)
        {
            yield return new FeedActivity
            {
                Type = "course_published",
                Title = $"New course: {course.Title}",
                Summary = course.Summary,
                Url = $"/courses/{course.Slug}",
                SortDate = now.AddDays(-30).AddHours(step++),
            };
            foreach (var lesson in course.Lessons)
            {
                yield return new FeedActivity
                {
                    Type = "lesson_published",
                    Title = $"{course.Title}: {lesson.Title}",
                    Summary = lesson.Summary,
                    Url = $"/courses/{course.Slug}?lesson={lesson.Slug}",
                    SortDate = now.AddDays(-29).AddHours(7 * step++),
                };
            }
        }
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
