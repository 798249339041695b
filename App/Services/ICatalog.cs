using BlazorJobs.App.Client.Contracts;

namespace BlazorJobs.App.Services;

/// <summary>The course catalogue as the pages read it; implemented by the server over its database.</summary>
public interface ICatalog
{
    Task<IReadOnlyList<CourseCard>> ListCoursesAsync(CancellationToken cancellationToken = default);

    Task<CourseDetail?> GetCourseAsync(string slug, CancellationToken cancellationToken = default);
}
