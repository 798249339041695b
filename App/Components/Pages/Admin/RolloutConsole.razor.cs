using Microsoft.Extensions.Logging;

namespace BlazorJobs.App.Components.Pages.Admin;

public sealed partial class RolloutConsole
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving the delivery rollout from the admin page failed")]
    private static partial void LogSaveFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reloading the rollout audit trail after a change failed")]
    private static partial void LogAuditReloadFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The rollout console could not open the admin stream in the browser")]
    private static partial void LogStreamOpenFailed(ILogger logger, Exception ex);
}
