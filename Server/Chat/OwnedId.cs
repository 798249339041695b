using System.Reflection;
using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace BlazorJobs.Server.Chat;

/// <summary>
/// A job or session id from the route, with the caller asking for it. A handler names the parameter after
/// what it identifies (<c>OwnedId job</c> reads the route's <c>{jobId}</c>); binding parses it, and
/// <see cref="OwnedIdFilter"/> answers a malformed id (<c>400</c>) or a request from nobody (<c>404</c>)
/// before any handler runs. Whether the caller owns the job or session is the handler's query (the owner key
/// is in its WHERE), answered with the same <c>404</c> so ids cannot be probed.
/// </summary>
public sealed class OwnedId : IEndpointMetadataProvider
{
    private readonly Caller? _caller;

    private OwnedId(Guid id, Caller? caller, ApiProblem? rejection)
    {
        Id = id;
        _caller = caller;
        Rejection = rejection;
    }

    public Guid Id { get; }

    public Caller Caller => _caller ?? throw new InvalidOperationException($"A rejected id reached a handler: map the endpoint with {nameof(OwnedIdFilter)}.");

    /// <summary>Why the request cannot go on; <see cref="OwnedIdFilter"/> returns it.</summary>
    public ApiProblem? Rejection { get; }

    public static ValueTask<OwnedId> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        // Not named like the route value itself: a parameter called "jobId" would read as bound from the route.
        var what = parameter.Name!;
        var routeValue = what + "Id";
        if (!Guid.TryParse(context.Request.RouteValues[routeValue] as string, out var id))
        {
            return ValueTask.FromResult(new OwnedId(id, null, ApiProblems.InvalidId(routeValue)));
        }
        var caller = Chatbot.Of(context).CallerOf(context);
        return ValueTask.FromResult(caller is null
            ? new OwnedId(id, null, ApiProblems.NotFound(what))
            : new OwnedId(id, caller, null));
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(ProblemDetails), ["application/problem+json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status404NotFound, typeof(ProblemDetails), ["application/problem+json"]));
    }
}

/// <summary>The one check every job and session endpoint shares: an id the caller cannot own never reaches a handler.</summary>
public sealed class OwnedIdFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var argument in context.Arguments)
        {
            if (argument is OwnedId { Rejection: { } rejection })
            {
                return ValueTask.FromResult<object?>(rejection);
            }
        }
        return next(context);
    }
}
