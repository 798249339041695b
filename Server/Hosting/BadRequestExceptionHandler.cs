using Microsoft.AspNetCore.Diagnostics;

namespace BlazorJobs.Server.Hosting;

/// <summary>
/// A request the framework could not bind (a query value of the wrong type, a body that is not JSON,
/// a form field missing) is the client's mistake: its own status (<c>400</c>, <c>413</c>…) as a problem,
/// in every environment. Endpoints are set to throw on bad requests everywhere
/// (<see cref="Microsoft.AspNetCore.Routing.RouteHandlerOptions.ThrowOnBadRequest"/>), so this one handler
/// words them all; otherwise Development would turn them into <c>500</c> and Production into bare statuses.
/// </summary>
public sealed class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }
        await ProblemFor(bad).ExecuteAsync(httpContext);
        return true;
    }

    private static IResult ProblemFor(BadHttpRequestException bad) => bad switch
    {
        { InnerException: NulCharacterException } => ApiProblems.BadRequest($"{NulFreeText.Rule} Found in the body.", "nul-character"),
        { InnerException: System.Text.Json.JsonException } => ApiProblems.BadRequest($"{bad.Message} The body is not valid JSON for this endpoint.", "malformed-json"),
        { StatusCode: StatusCodes.Status413PayloadTooLarge } => ApiProblems.PayloadTooLarge(JsonRequestBody.MaxBytes),
        { StatusCode: StatusCodes.Status415UnsupportedMediaType } => ApiProblems.UnsupportedMediaType(),
        _ => ApiProblems.Problem(bad.StatusCode, "The request is not valid.", bad.Message, "invalid-request"),
    };
}
