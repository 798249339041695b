using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace BlazorJobs.Server.Hosting;

/// <summary>
/// Brotli or gzip for the site's own scripts and stylesheets (the root <c>wwwroot/</c>, served by
/// <c>UseStaticFiles</c>, which sends files as they are). The framework's and MudBlazor's files come
/// precompressed from <c>MapStaticAssets</c> and are left alone (a response that already has a
/// <c>Content-Encoding</c> is not compressed again). The landing guide's modules are most of what a
/// first visit to "/" downloads before the guide is usable (performance target 10).
/// </summary>
/// <remarks>
/// Only these static types, never HTML, JSON or event streams: a page or an API answer can carry a
/// secret next to text an attacker chose (BREACH), and an event stream must not wait in a compressor's
/// buffer. Static files carry neither, so compressing them over HTTPS is safe.
/// </remarks>
public static class SiteFileCompression
{
    private static readonly string[] StaticTextTypes = ["text/javascript", "application/javascript", "text/css"];

    public static IServiceCollection AddSiteFileCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.MimeTypes = StaticTextTypes;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        });
        // Small files, compressed on every request: a fast level costs well under a millisecond each.
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        return services;
    }

    public static IApplicationBuilder UseSiteFileCompression(this IApplicationBuilder app) => app.UseResponseCompression();
}
