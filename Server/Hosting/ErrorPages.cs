using Microsoft.AspNetCore.Diagnostics;

namespace BlazorJobs.Server.Hosting;

/// <summary>
/// How errors look: API routes answer problem+json (api.md, Conventions); everything else is a page a
/// browser shows within the site's layout: an unknown address is the 404 page (status 404), an
/// unhandled error the error page (500), and an unreachable database the "back in a moment" page
/// (503 with <c>Retry-After</c>), both rendered by <c>/error</c> in a fresh scope.
/// </summary>
public static class ErrorPages
{
    public const string ErrorPath = "/error";
    public const string NotFoundPath = "/not-found";

    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    public static WebApplication UseErrorResponses(this WebApplication app)
    {
        // The page handlers sit on the app itself, not in a branch: re-executing /error or /not-found
        // must route again, which only the app's own pipeline does. The API's handlers sit inside them
        // and answer first, so an API error never becomes a page.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = ErrorPath,
            CreateScopeForErrors = true,
            StatusCodeSelector = exception => DatabaseUnavailableHandler.IsDatabaseUnavailable(exception)
                ? StatusCodes.Status503ServiceUnavailable
                : StatusCodes.Status500InternalServerError,
            // As by default, what an IExceptionHandler answered is no error; nor is an outage, logged once as
            // a warning by DatabaseUnavailableHandler. Only real bugs are logged as errors.
            SuppressDiagnosticsCallback = context =>
                context.ExceptionHandledBy == ExceptionHandledType.ExceptionHandlerService ||
                DatabaseUnavailableHandler.IsDatabaseUnavailable(context.Exception),
        });
        app.UseStatusCodePagesWithReExecute(NotFoundPath, createScopeForStatusCodePages: true);
        app.Use((context, next) => IsApi(context) ? next(context) : ReExecuteOnlyNotFound(context, next));
        app.UseWhen(IsApi, api =>
        {
            api.UseExceptionHandler();
            // API errors without a body (401, 403, 404 from routing, 405…) get a problem+json body with a detail.
            api.UseStatusCodePages(ApiProblems.WriteForStatusCodeAsync);
        });
        return app;
    }

    /// <summary>
    /// A page's other empty error statuses (400 for a form post without its antiforgery token, 405…) are
    /// not "page not found"; they keep their status and stay bodyless, as before. API requests pass by without
    /// this frame: an open SSE stream would hold it for as long as it is open (architecture.md, "What one open
    /// stream holds"), and the API's own status-code pages below answer first anyway.
    /// </summary>
    private static async Task ReExecuteOnlyNotFound(HttpContext context, RequestDelegate next)
    {
        await next(context);
        if (context.Response.StatusCode != StatusCodes.Status404NotFound && context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }
    }
}
