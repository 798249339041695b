using Microsoft.Extensions.Logging;

namespace BlazorJobs.App.Components.Pages.Admin;

public sealed partial class JobsDashboard
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The operations dashboard could not open its stream in the browser")]
    private static partial void LogStreamOpenFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An admin action on job {JobId} from the operations dashboard failed")]
    private static partial void LogActionFailed(ILogger logger, Exception ex, Guid jobId);
}
