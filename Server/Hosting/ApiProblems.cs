using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace BlazorJobs.Server.Hosting;

/// <summary>
/// The contract's RFC 9457 errors. A <c>type</c> is given where a client must tell errors apart;
/// "not found" has one body whether the id does not exist or is someone else's, so ids cannot be probed.
/// </summary>
public static class ApiProblems
{
    public const string TypeBase = "https://blazorjobs.dev/problems/";

    public static IResult BadRequest(string detail, string type = "invalid-request") =>
        Problem(StatusCodes.Status400BadRequest, "The request is not valid.", detail, type);

    public static IResult InvalidId(string name) =>
        BadRequest($"'{name}' must be a UUID.", "invalid-id");

    public static IResult NotFound(string what) =>
        Problem(StatusCodes.Status404NotFound, "Not found.", $"No {what} with this id exists for you.", "not-found");

    public static IResult Conflict(string detail) =>
        Problem(StatusCodes.Status409Conflict, "The request conflicts with the current state.", detail, "conflict");

    /// <remarks>
    /// With <c>Connection: close</c>: the rest of the body is never read (Kestrel refuses to drain past the
    /// limit), so the connection cannot carry another request; a client told so opens a fresh one
    /// instead of sending its next request down a socket about to be closed.
    /// </remarks>
    public static IResult PayloadTooLarge(int limitBytes) =>
        new ClosingConnection(Problem(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", $"Request bodies are limited to {limitBytes / 1024} KiB.", "payload-too-large"));

    public static IResult UnsupportedMediaType() =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type.", "Send the body as application/json.", "unsupported-media-type");

    public static IResult IdempotencyKeyReused() =>
        Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key already used.",
            "This Idempotency-Key was used in the last 24 hours with a different question. Use a new key for a new question.", "idempotency-key-reused");

    public static IResult DeliveryDisabled() =>
        Problem(StatusCodes.Status503ServiceUnavailable, "Streaming is switched off.",
            "Live delivery is disabled right now; poll the job instead.", "delivery-disabled", retryAfterSeconds: 5);

    public static IResult DatabaseUnavailable() =>
        Problem(StatusCodes.Status503ServiceUnavailable, "Service temporarily unavailable.",
            "The database cannot be reached right now. Try again shortly.", "database-unavailable", retryAfterSeconds: 5);

    /// <summary>
    /// The body of an API response that ended with an error status and none of its own: an auth
    /// challenge (401, 403), routing's 404 and 405, or a body the framework refused while binding
    /// (400, 413, 415). Without it those would carry no <c>detail</c>.
    /// </summary>
    public static Task WriteForStatusCodeAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var result = status switch
        {
            StatusCodes.Status401Unauthorized => Problem(status, "Unauthorized.",
                "Missing, invalid or expired credentials. API calls authenticate with 'Authorization: Bearer <access token>'.", "unauthorized"),
            StatusCodes.Status403Forbidden => Problem(status, "Forbidden.", "You are signed in but may not do this.", "forbidden"),
            StatusCodes.Status404NotFound => Problem(status, "Not found.", "No API endpoint exists at this address.", "not-found"),
            StatusCodes.Status405MethodNotAllowed => Problem(status, "Method not allowed.",
                $"This endpoint does not accept {http.Request.Method}; see the Allow header.", "method-not-allowed"),
            StatusCodes.Status400BadRequest => BadRequest("The request could not be read: check its path, query and body against the contract (api.md)."),
            StatusCodes.Status413PayloadTooLarge => PayloadTooLarge(BlazorJobs.Server.Chat.JsonRequestBody.MaxBytes),
            StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType(),
            _ => Problem(status, ReasonPhrases.GetReasonPhrase(status), $"The request ended with status {status}.", $"status-{status}"),
        };
        return result.ExecuteAsync(http);
    }

    public static IResult Problem(int status, string title, string detail, string type, int? retryAfterSeconds = null)
    {
        var problem = TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypeBase + type);
        return retryAfterSeconds is { } seconds ? new WithRetryAfter(problem, seconds) : problem;
    }

    private sealed class ClosingConnection(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Connection = "close";
            return inner.ExecuteAsync(httpContext);
        }
    }

    /// <summary>Adds <c>Retry-After</c> to a problem result.</summary>
    private sealed class WithRetryAfter(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
