namespace BlazorJobs.Server.Hosting;

/// <summary>What the embedded cluster's start, join, stop and restart log.</summary>
public sealed partial class EmbeddedPostgres
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping a PostgreSQL left running on {DataDirectory} by instances that are gone")]
    private static partial void LogStoppingLeftover(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Joined the embedded PostgreSQL of {DataDirectory} on port {Port}, in use by {Instances} other instance(s)")]
    private static partial void LogJoined(ILogger logger, string dataDirectory, int port, int instances);

    [LoggerMessage(Level = LogLevel.Information, Message = "The running cluster keeps its own settings; these of this instance are not applied: {Settings}")]
    private static partial void LogSettingsOfRunningCluster(ILogger logger, string settings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded PostgreSQL listening on 127.0.0.1:{Port} and {SocketDirectory}")]
    private static partial void LogListening(ILogger logger, int port, string socketDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leaving the embedded PostgreSQL of {DataDirectory} running for {Instances} other instance(s)")]
    private static partial void LogLeftRunning(ILogger logger, string dataDirectory, int instances);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Left the embedded PostgreSQL without stopping it: {Reason}")]
    private static partial void LogLeftWithoutLock(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The embedded PostgreSQL could not start yet, trying again: {Reason}")]
    private static partial void LogRestartRetry(ILogger logger, string reason);
}
