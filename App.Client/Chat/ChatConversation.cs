namespace BlazorJobs.App.Client.Chat;

/// <summary>
/// The state of one conversation: its exchanges, and how each callback of the delivery module
/// changes them. The one owner of that state: the browser module carries bytes and reports what
/// happened; what it means (which exchange, what is shown, what is news) is decided here. No I/O,
/// so every rule here is testable without a browser.
/// </summary>
public sealed class ChatConversation
{
    private readonly List<ChatExchange> _exchanges = [];

    public Guid? SessionId { get; private set; }

    public IReadOnlyList<ChatExchange> Exchanges => _exchanges;

    /// <summary>One question at a time: a new one waits until the running answer is done or stopped.</summary>
    public bool IsBusy => _exchanges.Any(e => e.IsLive);

    /// <summary>The answer the Stop button stops.</summary>
    public ChatExchange? Stoppable => _exchanges.LastOrDefault(e => e.IsLive && e.JobId is not null);

    /// <summary>The last answer's next-question suggestions, once it is complete.</summary>
    public IReadOnlyList<string> Suggestions =>
        _exchanges.Count > 0 && _exchanges[^1].State == ExchangeState.Completed ? _exchanges[^1].Suggestions : [];

    /// <summary>"via sse", "via hybrid · polling": how the latest answer travels (for support).</summary>
    public string? DeliveryCaption
    {
        get
        {
            var latest = _exchanges.LastOrDefault(e => e.Mode is not null);
            if (latest is null)
            {
                return null;
            }
            return latest.Transport is { } transport && transport != latest.Mode ? $"via {latest.Mode} · {transport}" : $"via {latest.Mode}";
        }
    }

    public ChatExchange? Find(Guid jobId) => _exchanges.LastOrDefault(e => e.JobId == jobId);

    public void Clear()
    {
        _exchanges.Clear();
        SessionId = null;
    }

    /// <summary>
    /// What the early guide was showing, shown until <see cref="LoadHistory"/> replaces it. No session
    /// is set, so the history rebuilds every exchange (nothing is delivering these).
    /// </summary>
    public void ShowHandedOver(IEnumerable<EarlyGuideHandover.Turn> turns)
    {
        foreach (var turn in turns)
        {
            _exchanges.Add(new ChatExchange(turn.Question)
            {
                HandedOver = true,
                State = Enum.TryParse<ExchangeState>(turn.State, ignoreCase: true, out var state) ? state : ExchangeState.Interrupted,
                Answer = turn.Answer,
                Problem = turn.Problem,
                Suggestions = turn.Suggestions ?? [],
            });
        }
    }

    /// <summary>The history could not replace the handed-over turns (it failed, or has no session yet): they go.</summary>
    public void DropHandedOver() => _exchanges.RemoveAll(e => e.HandedOver);

    public ChatExchange Ask(string question)
    {
        var exchange = new ChatExchange(question);
        _exchanges.Add(exchange);
        return exchange;
    }

    /// <summary>
    /// The server took the question. Told twice, by the module's callback and by the enqueue's
    /// answer, in either order: the first one counts, so a later one cannot undo updates since.
    /// </summary>
    public void Accepted(ChatExchange exchange, ChatJob job)
    {
        if (exchange.JobId == job.JobId)
        {
            return;
        }
        exchange.JobId = job.JobId;
        exchange.Job = job;
        exchange.State = ExchangeState.Waiting;
        exchange.Mode = job.Delivery;
        exchange.Problem = null;
        SessionId ??= job.SessionId;
    }

    /// <returns>Whether an exchange of this conversation sent that enqueue.</returns>
    public bool Accepted(string idempotencyKey, ChatJob job)
    {
        if (!Guid.TryParse(idempotencyKey, out var clientId) || _exchanges.LastOrDefault(e => e.ClientId == clientId) is not { } exchange)
        {
            return false; // asked before "new conversation" or in a conversation left behind
        }
        Accepted(exchange, job);
        return true;
    }

    /// <summary>A retry was accepted: the job runs again, delivered as the server's body says.</summary>
    public static void Retried(ChatExchange exchange, ChatJob job)
    {
        exchange.Job = job;
        exchange.Mode = job.Delivery;
    }

    /// <summary>
    /// Whether a session stream's update says something this page does not show: a job it does not
    /// know (asked in another tab), or one whose status differs from what it shows and that it is
    /// not following itself.
    /// </summary>
    public bool IsNews(SessionActivity activity) =>
        Find(activity.JobId) is not { } exchange || !(exchange.IsLive || Agrees(exchange, activity.Status));

    public static void NotSent(ChatExchange exchange, string problem)
    {
        exchange.State = ExchangeState.NotSent;
        exchange.Problem = problem;
    }

    /// <summary>Before a retry or "keep waiting": the answer is awaited again.</summary>
    public static void AwaitAgain(ChatExchange exchange, bool keepText)
    {
        exchange.State = keepText && exchange.Answer.Length > 0 ? ExchangeState.Streaming : ExchangeState.Waiting;
        exchange.Problem = null;
        exchange.StageMessage = null;
        if (!keepText)
        {
            exchange.Answer = "";
            exchange.Sources = [];
            exchange.Suggestions = [];
        }
    }

    /// <returns>Whether anything visible changed.</returns>
    public bool Apply(JobUpdate update)
    {
        if (Find(update.JobId) is not { IsLive: true } exchange)
        {
            return false; // a late update for an answer already settled or no longer shown
        }
        exchange.Mode = update.Mode ?? exchange.Mode;
        exchange.Transport = update.Transport ?? exchange.Transport;
        if (update.Reset)
        {
            exchange.Answer = "";
        }
        switch (update.Status)
        {
            case "PENDING":
                exchange.State = ExchangeState.Waiting;
                exchange.StageMessage = null;
                break;
            case "PROCESSING" when exchange.State is ExchangeState.Sending or ExchangeState.Waiting:
                exchange.State = ExchangeState.Working;
                break;
        }
        if (update.Message is { Length: > 0 } message)
        {
            exchange.StageMessage = message;
            if (exchange.State == ExchangeState.Waiting)
            {
                exchange.State = ExchangeState.Working;
            }
        }
        if (!string.IsNullOrEmpty(update.Text))
        {
            exchange.Answer += update.Text;
        }
        if (exchange.Answer.Length > 0)
        {
            exchange.State = ExchangeState.Streaming;
        }
        else if (exchange.State == ExchangeState.Streaming)
        {
            exchange.State = ExchangeState.Working; // a new attempt started the text afresh
        }
        return true;
    }

    public bool Complete(Guid jobId, ChatResult result, string transport)
    {
        if (Find(jobId) is not { } exchange)
        {
            return false;
        }
        exchange.State = ExchangeState.Completed;
        exchange.Answer = result.Answer;
        exchange.Sources = result.Sources ?? [];
        exchange.Suggestions = result.NextSuggestions ?? [];
        exchange.Transport = transport;
        exchange.StageMessage = null;
        exchange.Problem = null;
        SessionId ??= result.SessionId;
        return true;
    }

    public bool End(JobEnd end)
    {
        if (Find(end.JobId) is not { } exchange)
        {
            return false;
        }
        exchange.LastEventId = end.LastEventId ?? exchange.LastEventId;
        exchange.StageMessage = null;
        (exchange.State, exchange.Problem) = end.Kind switch
        {
            "failed" => (ExchangeState.Failed, string.IsNullOrWhiteSpace(end.Message) ? "The answer could not be produced." : end.Message),
            "cancelled" => (ExchangeState.Cancelled, "You stopped this answer."),
            "timeout" => (ExchangeState.Interrupted, "This is taking longer than usual. The answer is still being worked on."),
            "auth" or "http" when end.Status == 401 => (ExchangeState.Interrupted, "Your sign-in has expired. Sign in again to see the answer."),
            "http" when end.Status == 404 => (ExchangeState.Failed, "This answer is no longer available."),
            "http" => (ExchangeState.Interrupted, $"The server could not deliver the answer (HTTP {end.Status})."),
            _ => (ExchangeState.Interrupted, "The connection was lost while the answer was on its way."),
        };
        return true;
    }

    /// <summary>
    /// Shows a session's history. A reload of the session being shown keeps what this page knows
    /// better (an answer arriving here, suggestions that history does not store).
    /// </summary>
    /// <returns>The unfinished jobs to resume, with where their streams resume.</returns>
    public IReadOnlyList<(ChatJob Job, string? LastEventId)> LoadHistory(ChatSessionHistory history)
    {
        var local = SessionId == history.SessionId
            ? _exchanges.Where(e => e.JobId is not null).GroupBy(e => e.JobId!.Value).ToDictionary(g => g.Key, g => g.Last())
            : [];
        var unsent = SessionId == history.SessionId ? _exchanges.Where(e => e.JobId is null).ToList() : [];
        SessionId = history.SessionId;

        var rebuilt = new List<ChatExchange>();
        var resume = new List<(ChatJob, string?)>();
        foreach (var messages in history.Messages.GroupBy(m => m.JobId))
        {
            var status = messages.First().Status;
            if (local.TryGetValue(messages.Key, out var mine) && Agrees(mine, status))
            {
                rebuilt.Add(mine);
                continue;
            }
            var exchange = FromHistory(messages.Key, messages.ToList());
            rebuilt.Add(exchange);
            if (!exchange.IsLive)
            {
                continue;
            }
            if (history.PendingJob is { } pending && pending.JobId == messages.Key)
            {
                exchange.Job = new ChatJob(pending.JobId, history.SessionId, pending.Delivery, pending.StreamUrl, pending.PollUrl);
                exchange.Mode = pending.Delivery;
                resume.Add((exchange.Job, pending.LastEventId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            else
            {
                // History names one unfinished job with its URLs; another one still running (asked
                // in two tabs at once) shows up finished on a later reload.
                (exchange.State, exchange.Problem) = (ExchangeState.Interrupted, "This answer is still being worked on. Reload the page to see it.");
            }
        }
        rebuilt.AddRange(unsent);
        _exchanges.Clear();
        _exchanges.AddRange(rebuilt);
        return resume;
    }

    /// <summary>Whether this page's own view of a job is as current as the history's status.</summary>
    private static bool Agrees(ChatExchange mine, string status) => status switch
    {
        "COMPLETED" => mine.State == ExchangeState.Completed,
        "FAILED" => mine.State == ExchangeState.Failed,
        "CANCELLED" => mine.State == ExchangeState.Cancelled,
        _ => mine.IsLive || mine.State == ExchangeState.Interrupted,
    };

    private static ChatExchange FromHistory(Guid jobId, List<ChatHistoryMessage> messages)
    {
        var question = messages.FirstOrDefault(m => m.Role == "user")?.Text ?? "";
        var answer = messages.LastOrDefault(m => m.Role == "assistant");
        var status = messages[0].Status;
        var exchange = new ChatExchange(question)
        {
            JobId = jobId,
            Answer = answer?.Text ?? "",
            Sources = answer?.Sources ?? [],
            Suggestions = answer?.Suggestions ?? [],
        };
        (exchange.State, exchange.Problem) = status switch
        {
            "COMPLETED" => (ExchangeState.Completed, null),
            "FAILED" => (ExchangeState.Failed, "This question could not be answered."),
            "CANCELLED" => (ExchangeState.Cancelled, "You stopped this answer."),
            _ => (ExchangeState.Waiting, (string?)null),
        };
        if (exchange.State == ExchangeState.Waiting)
        {
            exchange.Answer = ""; // the resumed stream replays the current attempt's text
        }
        return exchange;
    }
}
