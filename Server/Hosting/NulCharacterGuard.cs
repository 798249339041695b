namespace BlazorJobs.Server.Hosting;

/// <summary>
/// Refuses a query string that holds U+0000 (<c>%00</c>) before any endpoint or page reads it (see
/// <see cref="NulFreeText"/>). The other ways in are covered elsewhere: Kestrel refuses a NUL in the
/// path, ASP.NET Core's form decoder one in a form field (a 400 through <see cref="BadRequestExceptionHandler"/>),
/// and <see cref="NulFreeStringConverter"/> one in a JSON body.
/// </summary>
public static class NulCharacterGuard
{
    public static IApplicationBuilder UseNulCharacterGuard(this IApplicationBuilder app) =>
        // Not an async lambda: most requests pass straight on, and an awaiting frame here would be held for
        // the whole life of every open SSE stream.
        app.Use((context, next) => HoldsNul(context.Request.QueryString, context.Request)
            ? ApiProblems.BadRequest($"{NulFreeText.Rule} Found in the query string.", "nul-character").ExecuteAsync(context)
            : next(context));

    // Cheap first: a NUL can only arrive percent-encoded, so most requests are decided by one scan.
    private static bool HoldsNul(QueryString query, HttpRequest request) =>
        query.Value?.Contains("%00", StringComparison.Ordinal) == true &&
        request.Query.Any(pair => NulFreeText.HasNul(pair.Key) || pair.Value.Any(NulFreeText.HasNul));
}
