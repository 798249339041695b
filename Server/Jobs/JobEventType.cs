namespace BlazorJobs.Server.Jobs;

/// <summary>The SSE event names a job's stream carries.</summary>
public static class JobEventType
{
    public const string Status = "status";
    public const string Progress = "progress";
    public const string Delta = "delta";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsTerminal(string type) => type is Completed or Failed or Cancelled;
}
