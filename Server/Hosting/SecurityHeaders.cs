using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Components;

namespace BlazorJobs.Server.Hosting;

/// <summary>
/// api.md, Security headers: every response (pages, API, errors) says <c>nosniff</c>, keeps the
/// referrer to this origin, and carries a Content-Security-Policy that allows only this origin's
/// scripts. The one inline script is Blazor's <c>&lt;ImportMap/&gt;</c>, whose JSON changes with
/// every build (fingerprinted asset names): it is allowed by its SHA-256, computed from the same
/// <see cref="ImportMapDefinition"/> the page renders. A hash rather than a nonce, because enhanced
/// navigation merges the next page's head into the current document, whose policy a new nonce would
/// not match. <c>'wasm-unsafe-eval'</c> is what WebAssembly (the landing guide) needs to compile;
/// inline styles are MudBlazor's.
/// </summary>
public static class SecurityHeaders
{
    public const string ReferrerPolicy = "strict-origin-when-cross-origin";

    private const string PolicyBeforeScripts = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
    private const string PolicyAfterScripts =
        "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static readonly ConditionalWeakTable<ImportMapDefinition, string> ImportMapHashes = new();

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // On starting, not now: an error handler clears the headers of the response it replaces,
            // and the endpoint (whose import map the policy names) is only known after routing.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = ReferrerPolicy;
                headers.ContentSecurityPolicy = PolicyFor(context.GetEndpoint()?.Metadata.GetMetadata<ImportMapDefinition>());
                return Task.CompletedTask;
            });
            return next(context);
        });

    /// <summary>The policy for a response; a page's names the hash of the import map it renders.</summary>
    public static string PolicyFor(ImportMapDefinition? importMap) =>
        importMap is null
            ? PolicyBeforeScripts + PolicyAfterScripts
            : $"{PolicyBeforeScripts} '{ImportMapHashes.GetValue(importMap, HashOf)}'{PolicyAfterScripts}";

    private static string HashOf(ImportMapDefinition importMap) =>
        "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(importMap.ToString() /* ToString is the JSON the component renders */)));
}
