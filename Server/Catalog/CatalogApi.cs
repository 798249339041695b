using BlazorJobs.App.Services;
using BlazorJobs.App.Client.Contracts;
using BlazorJobs.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorJobs.Server.Catalog;

/// <summary><c>GET /api/courses</c> and <c>GET /api/courses/{slug}</c>: the catalogue for WebAssembly components and outside clients.</summary>
public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/courses").WithTags("Catalogue");
        group.MapGet("/", async (ICatalog catalog, CancellationToken ct) => TypedResults.Ok(await catalog.ListCoursesAsync(ct)));
        group.MapGet("/{slug}", GetCourseAsync);
        return app;
    }

    private static async Task<Results<Ok<CourseDetail>, NotFoundProblem>> GetCourseAsync(string slug, ICatalog catalog, CancellationToken cancellationToken) =>
        await catalog.GetCourseAsync(slug, cancellationToken) is { } course ? TypedResults.Ok(course) : ApiProblems.NotFound("course");
}
