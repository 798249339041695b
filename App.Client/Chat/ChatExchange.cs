namespace BlazorJobs.App.Client.Chat;

/// <summary>Where one question and its answer stand, as the reader sees it.</summary>
public enum ExchangeState
{
    /// <summary>The enqueue request is on its way.</summary>
    Sending,
    /// <summary>The enqueue failed: nothing was created; "send again" is offered.</summary>
    NotSent,
    /// <summary>Accepted; the job waits for a worker.</summary>
    Waiting,
    /// <summary>A worker is on it (a progress stage may say what it does); no text yet.</summary>
    Working,
    /// <summary>Answer text is arriving.</summary>
    Streaming,
    Completed,
    /// <summary>The job failed for good: "retry" is offered.</summary>
    Failed,
    /// <summary>The reader stopped it: "retry" is offered.</summary>
    Cancelled,
    /// <summary>The wait timed out or the connection was lost while the job goes on: "keep waiting" is offered.</summary>
    Interrupted,
}

/// <summary>One question and its answer (one job).</summary>
public sealed class ChatExchange
{
    public ChatExchange(string question)
    {
        Question = question;
    }

    /// <summary>Stable before the job exists: the list's render key and the enqueue's Idempotency-Key.</summary>
    public Guid ClientId { get; } = Guid.NewGuid();

    public string Question { get; }

    /// <summary>Set once the server accepted the question (or history names it).</summary>
    public Guid? JobId { get; set; }

    /// <summary>Where and how to follow the job, as the server last said it; null when no response named its URLs (a finished job from history).</summary>
    public ChatJob? Job { get; set; }

    public ExchangeState State { get; set; } = ExchangeState.Sending;

    public string Answer { get; set; } = "";

    /// <summary>What the worker is doing (a progress event's message).</summary>
    public string? StageMessage { get; set; }

    public IReadOnlyList<ChatSource> Sources { get; set; } = [];

    public IReadOnlyList<string> Suggestions { get; set; } = [];

    /// <summary>Why the answer did not arrive, in words for the reader.</summary>
    public string? Problem { get; set; }

    /// <summary>Where "keep waiting" resumes the job's stream.</summary>
    public string? LastEventId { get; set; }

    /// <summary>The caller's delivery mode for this job, and what carries it now (shown for support).</summary>
    public string? Mode { get; set; }

    public string? Transport { get; set; }

    /// <summary>Shown as the early guide left it, until the session's history replaces it (<see cref="EarlyGuideHandover"/>).</summary>
    public bool HandedOver { get; init; }

    public bool IsLive => State is ExchangeState.Sending or ExchangeState.Waiting or ExchangeState.Working or ExchangeState.Streaming;

    public bool CanRetry => JobId is not null && State is ExchangeState.Failed or ExchangeState.Cancelled;

    public bool CanKeepWaiting => Job is not null && State is ExchangeState.Interrupted;

    public bool CanSendAgain => State is ExchangeState.NotSent;
}
