using BlazorJobs.App.Services;
using BlazorJobs.Server.Hosting;

namespace BlazorJobs.Server.Catalog;

/// <summary><c>GET /api/courses</c> and <c>GET /api/courses/{slug}</c>: the catalogue for WebAssembly components and outside clients.</summary>
public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/courses").WithTags("Catalogue");
        group.MapGet("/", async (ICatalog catalog, CancellationToken ct) => TypedResults.Ok(await catalog.ListCoursesAsync(ct)));
        group.MapGet("/{slug}", async (string slug, ICatalog catalog, CancellationToken ct) =>
            await catalog.GetCourseAsync(slug, ct) is { } course ? TypedResults.Ok(course) : ApiProblems.NotFound("course"));
        return app;
    }
}
