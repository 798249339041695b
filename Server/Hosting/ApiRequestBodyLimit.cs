using Microsoft.AspNetCore.Http.Features;

namespace BlazorJobs.Server.Hosting;

/// <summary>
/// api.md: "a request body over 16 KiB: 413" holds for every API endpoint, Identity's included, not
/// only those that read their body through <see cref="JsonRequestBody"/>. Kestrel then refuses the
/// extra bytes itself (a <see cref="BadHttpRequestException"/> with 413, worded by
/// <see cref="BadRequestExceptionHandler"/>) instead of buffering up to its 30 MB default.
/// </summary>
public static class ApiRequestBodyLimit
{
    public static IApplicationBuilder UseApiRequestBodyLimit(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api") &&
                context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = JsonRequestBody.MaxBytes;
            }
            return next(context);
        });
}
