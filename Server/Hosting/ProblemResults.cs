using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace BlazorJobs.Server.Hosting;

/// <summary>
/// One of the contract's RFC 9457 problems, typed by what it means, so a handler's <c>Results&lt;…&gt;</c>
/// union lists the statuses it can answer with (as dotnet/eShop's Catalog API does with
/// <c>NotFound</c> and <c>BadRequest&lt;ProblemDetails&gt;</c>). The body is still written by
/// <see cref="ProblemHttpResult"/>, so it goes through the app's problem-details service like every other problem.
/// </summary>
public abstract class ApiProblem(ProblemHttpResult problem) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<ProblemDetails>, IContentTypeHttpResult
{
    public ProblemDetails Value => problem.ProblemDetails;

    object? IValueHttpResult.Value => problem.ProblemDetails;

    public int? StatusCode => problem.StatusCode;

    public string? ContentType => problem.ContentType;

    public virtual Task ExecuteAsync(HttpContext httpContext) => problem.ExecuteAsync(httpContext);

    private protected static void Produces(EndpointBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
        }
    }
}

/// <summary><c>400</c>: a parameter, header or body field the contract does not accept.</summary>
public sealed class BadRequestProblem(ProblemHttpResult problem) : ApiProblem(problem), IEndpointMetadataProvider
{
    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status400BadRequest);
}

/// <summary><c>401</c>: credentials that match no account.</summary>
public sealed class UnauthorizedProblem(ProblemHttpResult problem) : ApiProblem(problem), IEndpointMetadataProvider
{
    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status401Unauthorized);
}

/// <summary><c>404</c>: the id does not exist or is someone else's (one body for both, so ids cannot be probed).</summary>
public sealed class NotFoundProblem(ProblemHttpResult problem) : ApiProblem(problem), IEndpointMetadataProvider
{
    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status404NotFound);
}

/// <summary><c>409</c>: the job is not in a state that allows this.</summary>
public sealed class ConflictProblem(ProblemHttpResult problem) : ApiProblem(problem), IEndpointMetadataProvider
{
    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status409Conflict);
}

/// <summary><c>422</c>: an <c>Idempotency-Key</c> reused with a different question.</summary>
public sealed class UnprocessableProblem(ProblemHttpResult problem) : ApiProblem(problem), IEndpointMetadataProvider
{
    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status422UnprocessableEntity);
}

/// <summary>
/// A problem with <c>Retry-After</c>: <c>503</c> when streaming is switched off or the database is out of reach
/// (the only statuses a handler returns it with), <c>429</c> from the rate limiter.
/// </summary>
public sealed class RetryLaterProblem(ProblemHttpResult problem, int retryAfterSeconds) : ApiProblem(problem), IEndpointMetadataProvider
{
    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status503ServiceUnavailable);

    public override Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return base.ExecuteAsync(httpContext);
    }
}

/// <summary>
/// A JSON request body that cannot be read: <c>415</c> not JSON, <c>413</c> too large, <c>400</c> malformed or
/// of the wrong shape (<see cref="JsonRequestBody"/>).
/// </summary>
public sealed class UnreadableBody(ProblemHttpResult problem, bool closeConnection = false) : ApiProblem(problem), IEndpointMetadataProvider
{
    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) =>
        Produces(builder, StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);

    /// <remarks>
    /// A <c>413</c> carries <c>Connection: close</c>: the rest of the body is never read (Kestrel refuses to drain
    /// past the limit), so the connection cannot carry another request; a client told so opens a fresh one
    /// instead of sending its next request down a socket about to be closed.
    /// </remarks>
    public override Task ExecuteAsync(HttpContext httpContext)
    {
        if (closeConnection)
        {
            httpContext.Response.Headers.Connection = "close";
        }
        return base.ExecuteAsync(httpContext);
    }
}
