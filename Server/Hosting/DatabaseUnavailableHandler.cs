using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace BlazorJobs.Server.Hosting;

/// <summary>
/// Turns "the database cannot be reached" into <c>503</c> with <c>Retry-After</c> (the process stays up,
/// and Npgsql's pool reconnects by itself when PostgreSQL returns): a problem for the API, the
/// "back in a moment" page for pages (<see cref="ErrorPages"/>). Anything else unexpected is a
/// plain <c>500</c>, never a stack trace.
/// </summary>
public sealed partial class DatabaseUnavailableHandler(ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsDatabaseUnavailable(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }
        LogDatabaseUnavailable(exception.GetType().Name, httpContext.Request.Path);
        if (!ErrorPages.IsApi(httpContext))
        {
            return false; // a page: ErrorPages re-executes /error with 503, the "back in a moment" page
        }
        await ApiProblems.DatabaseUnavailable().ExecuteAsync(httpContext);
        return true;
    }

    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg when pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300":
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                case TimeoutException:
                    return true;
            }
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable ({ExceptionType}) while serving {Path}; answered 503")]
    private partial void LogDatabaseUnavailable(string exceptionType, string path);
}
