using Microsoft.AspNetCore.Routing.Template;

namespace BlazorJobs.Server.Hosting;

/// <summary>
/// What an address no endpoint serves answers, for every method: <c>404</c> (the 404 page, or problem+json
/// under <c>/api</c>), or <c>405</c> with <c>Allow</c> when a route exists there for other methods.
/// Routing alone got this wrong: in Development <c>MapStaticAssets</c> adds a GET/HEAD fallback
/// <c>{**path:file}</c> that is a candidate for every path, and routing answers "method not allowed" from
/// the candidates before it checks the <c>file</c> constraint — so a POST to an unknown page was 405.
/// A fallback for every method takes that decision back, and makes it from the app's real routes.
/// Paths that look like files are left alone (<c>nonfile</c>): a matched endpoint would stop
/// <c>UseStaticFiles</c> from serving the root <c>wwwroot/</c>, and a missing file is 404 there anyway.
/// </summary>
public static class UnknownAddressFallback
{
    public static IEndpointConventionBuilder MapUnknownAddressFallback(this WebApplication app)
    {
        var routes = new Lazy<IReadOnlyList<(TemplateMatcher Matcher, IReadOnlyList<string> Methods)>>(() => RoutesWithMethods(app));
        return app.MapFallback("{**path:nonfile}", context =>
        {
            var allowed = routes.Value
                .Where(route => route.Matcher.TryMatch(context.Request.Path, []))
                .SelectMany(route => route.Methods)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            if (allowed.Count > 0)
            {
                context.Response.Headers.Allow = string.Join(", ", allowed);
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return Task.CompletedTask;
            }
            // The 404 page is re-executed with this request's method, and Blazor takes a re-executed POST for
            // a form post without its antiforgery token (400): the page is rendered as for a GET.
            context.Request.Method = HttpMethods.Get;
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }).WithDisplayName("Unknown address");
    }

    /// <summary>Every route with the methods it accepts; fallbacks (any-path catch-alls) are not routes of their own.</summary>
    private static List<(TemplateMatcher, IReadOnlyList<string>)> RoutesWithMethods(WebApplication app) =>
        [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Order != int.MaxValue && endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 })
            .Select(endpoint => (
                new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), new RouteValueDictionary()),
                endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods))];
}
