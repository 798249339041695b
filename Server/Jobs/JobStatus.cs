namespace BlazorJobs.Server.Jobs;

/// <summary>The states of a job, as stored and as the poll endpoint reports them.</summary>
public static class JobStatus
{
    public const string Pending = "PENDING";
    public const string Processing = "PROCESSING";
    public const string Completed = "COMPLETED";
    public const string Failed = "FAILED";
    public const string Cancelled = "CANCELLED";

    public static bool IsTerminal(string status) => status is Completed or Failed or Cancelled;
}
