using Microsoft.Extensions.Logging;

namespace BlazorJobs.App.Components.Pages.Admin;

public sealed partial class RolloutConsole
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving the delivery rollout from the admin page failed")]
    private static partial void LogSaveFailed(ILogger logger, Exception ex);
}
