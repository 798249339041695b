using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace BlazorJobs.Server.Hosting;

/// <summary>
/// The contract's RFC 9457 errors, each typed by its meaning (<see cref="ApiProblem"/>). A <c>type</c> is given
/// where a client must tell errors apart; "not found" has one body whether the id does not exist or is someone else's, so ids cannot be probed.
/// </summary>
public static class ApiProblems
{
    public const string TypeBase = "https://blazorjobs.dev/problems/";

    public static BadRequestProblem BadRequest(string detail, string type = "invalid-request") =>
        new(Problem(StatusCodes.Status400BadRequest, "The request is not valid.", detail, type));

    public static BadRequestProblem InvalidId(string name) =>
        BadRequest($"'{name}' must be a UUID.", "invalid-id");

    public static BadRequestProblem Antiforgery() =>
        new(Problem(StatusCodes.Status400BadRequest, "Missing or invalid antiforgery token.",
            "Send the page's antiforgery token in the RequestVerificationToken header.", "antiforgery"));

    public static UnauthorizedProblem InvalidCredentials() =>
        new(Problem(StatusCodes.Status401Unauthorized, "Unauthorized.", "The e-mail and password do not match an account.", "invalid-credentials"));

    public static NotFoundProblem NotFound(string what) =>
        new(Problem(StatusCodes.Status404NotFound, "Not found.", $"No {what} with this id exists for you.", "not-found"));

    public static ConflictProblem Conflict(string detail) =>
        new(Problem(StatusCodes.Status409Conflict, "The request conflicts with the current state.", detail, "conflict"));

    /// <summary>A JSON body that parsed to nothing this endpoint accepts (<c>400</c>).</summary>
    public static UnreadableBody MalformedBody(string detail, string type) =>
        new(Problem(StatusCodes.Status400BadRequest, "The request is not valid.", detail, type));

    public static UnreadableBody PayloadTooLarge(int limitBytes) =>
        new(Problem(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", $"Request bodies are limited to {limitBytes / 1024} KiB.", "payload-too-large"),
            closeConnection: true);

    public static UnreadableBody UnsupportedMediaType() =>
        new(Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type.", "Send the body as application/json.", "unsupported-media-type"));

    public static UnprocessableProblem IdempotencyKeyReused(TimeSpan window) =>
        new(Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key already used.",
            $"This Idempotency-Key was used in the last {window.TotalHours:0.##} hours with a different question. Use a new key for a new question.", "idempotency-key-reused"));

    public static RetryLaterProblem DeliveryDisabled() =>
        RetryLater(StatusCodes.Status503ServiceUnavailable, "Streaming is switched off.",
            "Live delivery is disabled right now; poll the job instead.", "delivery-disabled", retryAfterSeconds: 5);

    public static RetryLaterProblem DatabaseUnavailable() =>
        RetryLater(StatusCodes.Status503ServiceUnavailable, "Service temporarily unavailable.",
            "The database cannot be reached right now. Try again shortly.", "database-unavailable", retryAfterSeconds: 5);

    public static RetryLaterProblem FeedUnavailable() =>
        RetryLater(StatusCodes.Status503ServiceUnavailable, "The feed is unavailable.",
            "None of the feed's sources could be read right now. Try again shortly.", "feed-unavailable", retryAfterSeconds: 5);

    public static RetryLaterProblem RetryLater(int status, string title, string detail, string type, int retryAfterSeconds) =>
        new(Problem(status, title, detail, type), retryAfterSeconds);

    /// <summary>
    /// The body of an API response that ended with an error status and none of its own: an auth
    /// challenge (401, 403), routing's 404 and 405, or a body the framework refused while binding
    /// (400, 413, 415). Without it those would carry no <c>detail</c>.
    /// </summary>
    public static Task WriteForStatusCodeAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        IResult result = status switch
        {
            StatusCodes.Status401Unauthorized => Problem(status, "Unauthorized.",
                "Missing, invalid or expired credentials. API calls authenticate with 'Authorization: Bearer <access token>'.", "unauthorized"),
            StatusCodes.Status403Forbidden => Problem(status, "Forbidden.", "You are signed in but may not do this.", "forbidden"),
            StatusCodes.Status404NotFound => Problem(status, "Not found.", "No API endpoint exists at this address.", "not-found"),
            StatusCodes.Status405MethodNotAllowed => Problem(status, "Method not allowed.",
                $"This endpoint does not accept {http.Request.Method}; see the Allow header.", "method-not-allowed"),
            StatusCodes.Status400BadRequest => BadRequest("The request could not be read: check its path, query and body against the contract (api.md)."),
            StatusCodes.Status413PayloadTooLarge => PayloadTooLarge(JsonRequestBody.MaxBytes),
            StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType(),
            _ => Problem(status, ReasonPhrases.GetReasonPhrase(status), $"The request ended with status {status}.", $"status-{status}"),
        };
        return result.ExecuteAsync(http);
    }

    public static ProblemHttpResult Problem(int status, string title, string detail, string type) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypeBase + type);
}
