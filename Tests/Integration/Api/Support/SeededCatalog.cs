using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Api.Support;

/// <summary>Ids from the seeded catalogue, for questions scoped to a course or lesson.</summary>
public static class SeededCatalog
{
    /// <summary>The first published course (by its order on the site).</summary>
    public static async Task<Guid> CourseAsync(AppFixture app, int skip = 0) =>
        (Guid)(await app.ScalarAsync("SELECT id FROM courses WHERE published ORDER BY sort_order, id OFFSET @skip LIMIT 1", ("skip", skip)))!;

    public static async Task<Guid> LessonOfAsync(AppFixture app, Guid courseId) =>
        (Guid)(await app.ScalarAsync("SELECT id FROM lessons WHERE course_id = @course ORDER BY position LIMIT 1", ("course", courseId)))!;
}
