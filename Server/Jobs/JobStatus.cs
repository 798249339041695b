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

/// <summary>Which chatbot a job or session belongs to; a caller of one never sees the other's.</summary>
public static class ChatbotKind
{
    public const string Tutor = "tutor";
    public const string Landing = "landing";
}

/// <summary>PostgreSQL notification channels.</summary>
public static class Channels
{
    public const string JobEnqueued = "job_enqueued";
    public const string JobEvents = "job_events";
    public const string FlagsChanged = "flags_changed";
    public const string FeedChanged = "feed_changed";
}
