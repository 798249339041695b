namespace BlazorJobs.Server.Streaming;

/// <summary>
/// For streams that wait on something other than the <see cref="EventHub"/> (the feed, the admin's
/// rollout stream): the request's abort token also fires when the server begins to stop, so the stream
/// ends as if its client had left, with a closed response that the client's reconnect resumes. Without
/// it, an idle stream held the host's shutdown until the timeout cut it off.
/// </summary>
public static class EndsWhenServerStops
{
    public static RouteHandlerBuilder EndWhenServerStops(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter<EndsWhenServerStopsFilter>();
}

public sealed class EndsWhenServerStopsFilter(IHostApplicationLifetime lifetime) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        using var abortedOrStopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        context.RequestAborted = abortedOrStopping.Token;
        return await next(invocation);
    }
}
