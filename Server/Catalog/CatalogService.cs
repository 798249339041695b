using BlazorJobs.App.Client.Contracts;
using BlazorJobs.App.Services;
using BlazorJobs.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorJobs.Server.Catalog;

/// <summary>The published catalogue, read with EF Core for the pages and the catalogue API.</summary>
public sealed class CatalogService(AppDbContext db) : ICatalog
{
    public async Task<IReadOnlyList<CourseCard>> ListCoursesAsync(CancellationToken cancellationToken = default) =>
        await db.Courses.AsNoTracking()
            .Where(c => c.Published)
            .OrderBy(c => c.SortOrder)
            .Select(c => new CourseCard(c.Id, c.Slug, c.Title, c.Summary, c.Level, c.DurationHours, c.Lessons.Count))
            .ToListAsync(cancellationToken);

    public async Task<CourseDetail?> GetCourseAsync(string slug, CancellationToken cancellationToken = default)
    {
        var course = await db.Courses.AsNoTracking()
            .Where(c => c.Published && c.Slug == slug)
            .Include(c => c.Lessons.OrderBy(l => l.Position))
            .ThenInclude(l => l.Chunks.OrderBy(ch => ch.Position))
            .AsSplitQuery()
            .FirstOrDefaultAsync(cancellationToken);
        return course is null
            ? null
            : new CourseDetail(course.Id, course.Slug, course.Title, course.Summary, course.Level, course.DurationHours,
                course.Lessons.Select(l => new LessonView(l.Id, l.Slug, l.Title, l.Summary, l.Position, l.Chunks.Select(ch => ch.Text).ToList())).ToList());
    }
}
