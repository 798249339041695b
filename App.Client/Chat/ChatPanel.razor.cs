using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace BlazorJobs.App.Client.Chat;

/// <summary>
/// Wires the reader's actions to the browser's delivery module (through <see cref="ChatConnection"/>)
/// and the module's callbacks to the conversation's state.
/// </summary>
/// <remarks>
/// The module sends at most one callback per ~50 ms, so rendering after each one renders at most
/// that often, however fast an answer streams. Nothing here receives an answer any other way: in an
/// Interactive Server circuit the result still travels to the browser over the HTTP contract first.
/// </remarks>
public partial class ChatPanel
{
    [Inject] private IJSRuntime JS { get; set; } = null!;

    [Parameter, EditorRequired] public ChatEndpoint Endpoint { get; set; } = null!;
    [Parameter] public string Title { get; set; } = "Ask the tutor";
    [Parameter] public string? Subtitle { get; set; }
    [Parameter] public string AssistantName { get; set; } = "Tutor";
    [Parameter] public string Placeholder { get; set; } = "Ask a question";
    [Parameter] public string EmptyText { get; set; } = "Ask a question to get started.";
    [Parameter] public IReadOnlyList<string> StarterQuestions { get; set; } = [];
    /// <summary>The tutor's scope: questions are about this course (and lesson).</summary>
    [Parameter] public Guid? CourseId { get; set; }
    [Parameter] public Guid? LessonId { get; set; }
    /// <summary>The tutor's module exchanges it, with the sign-in cookie, for a bearer token.</summary>
    [Parameter] public string? AntiforgeryToken { get; set; }
    /// <summary>On load, show the latest conversation again (and resume an answer still on its way).</summary>
    [Parameter] public bool RemembersConversation { get; set; }
    [Parameter] public bool ShowEarlierConversations { get; set; }
    /// <summary>Follow the session's stream, so questions asked in another tab show up here.</summary>
    [Parameter] public bool FollowsSessionStream { get; set; }
    /// <summary>
    /// The page found a conversation to show again (<c>IRememberedConversations</c>): rendered before it is
    /// interactive, the panel shows "Loading your conversation…", not the greeting.
    /// </summary>
    [Parameter] public bool ConversationRemembered { get; set; }
    /// <summary>This panel takes over from the early guide (the landing page): it first shows the turns that guide showed.</summary>
    [Parameter] public bool TakesOverEarlyGuide { get; set; }

    private ChatConversation _conversation = null!;
    private ChatConnection? _connection;
    private ChatInput? _input;
    private IReadOnlyList<ChatSessionSummary> _sessions = [];
    private bool _ready;
    private bool _online = true;
    private bool _loadingHistory;
    private bool _reloadRunning;
    private bool _reloadAgain;
    private string? _notice;
    private bool _disposed;

    /// <summary>The remembered conversation being loaded: a question asked meanwhile waits for it, to join it.</summary>
    private Task _historyLoaded = Task.CompletedTask;

    private bool CanAsk => _ready && _online && !_conversation.IsBusy;

    protected override void OnInitialized()
    {
        _conversation = new ChatConversation();
        if (TakesOverEarlyGuide && RendererInfo.IsInteractive)
        {
            _conversation.ShowHandedOver(EarlyGuideHandover.Take(JS));
        }
        // Interactive at last (e.g. WebAssembly taking over from the early guide): the remembered
        // conversation is on its way, so say so rather than flash the empty greeting first.
        _loadingHistory = RemembersConversation && RendererInfo.IsInteractive;
    }

    protected override void OnParametersSet()
    {
        if (!RendererInfo.IsInteractive)
        {
            // Rendered on the server for a caller with a conversation: the same, from the first paint.
            // Here, not in OnInitialized: the page may learn it only after its own first render.
            _loadingHistory = RemembersConversation && ConversationRemembered;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }
        ChatConnection connection;
        try
        {
            connection = await ChatConnection.OpenAsync(JS, Endpoint, AntiforgeryToken, this);
        }
        catch (JSException)
        {
            _notice = "The chat could not start. Reload the page to try again.";
            _loadingHistory = false;
            StateHasChanged();
            return;
        }
        if (_disposed)
        {
            await connection.DisposeAsync();
            return;
        }
        _connection = connection;
        _online = await connection.IsOnlineAsync();
        _ready = true;
        if (TakesOverEarlyGuide)
        {
            // A question the early guide sent as WebAssembly started may still be on its way: its
            // job must exist before the history is read, or it would show nowhere.
            await connection.EarlyQuestionsSettledAsync();
        }
        if (RemembersConversation)
        {
            _loadingHistory = true;
            StateHasChanged();
            _historyLoaded = LoadSessionsAsync(openLatest: true);
            await _historyLoaded;
            _conversation.DropHandedOver();
            _loadingHistory = false;
        }
        StateHasChanged();
    }

    // -- the reader's actions -----------------------------------------------------------------

    private async Task<bool> AskAsync(string question)
    {
        await _historyLoaded;
        if (_connection is null || !CanAsk || string.IsNullOrWhiteSpace(question))
        {
            return false;
        }
        var exchange = _conversation.Ask(question);
        StateHasChanged();
        await SendAsync(exchange);
        return true;
    }

    /// <summary>
    /// The chips go away once one is used: focus moves to the question box first, so it never falls
    /// to the page's body (keyboard users keep their place).
    /// </summary>
    private async Task AskSuggestionAsync(string suggestion)
    {
        if (_input is not null)
        {
            await _input.FocusAsync();
        }
        await AskAsync(suggestion);
    }

    /// <summary>A new answer to the same question, asked again (the contract retries only failed or stopped jobs).</summary>
    private Task RegenerateAsync(ChatExchange exchange) => AskAsync(exchange.Question);

    private async Task SendAsync(ChatExchange exchange)
    {
        var isNewSession = _conversation.SessionId is null;
        var outcome = await _connection!.EnqueueAsync(new ChatQuestion(
            exchange.Question, _conversation.SessionId, CourseId, LessonId, exchange.ClientId.ToString()));
        if (_disposed)
        {
            return;
        }
        if (!outcome.Ok || outcome.Data is null)
        {
            ChatConversation.NotSent(exchange, RefusalText.Describe(outcome));
            StateHasChanged();
            return;
        }
        // The module is already delivering the job; OnJobAccepted may have told this before.
        _conversation.Accepted(exchange, outcome.Data);
        StateHasChanged();
        if (isNewSession && !_disposed)
        {
            await OnSessionStartedAsync(outcome.Data.SessionId, exchange.Question);
        }
    }

    private async Task SendAgainAsync(ChatExchange exchange)
    {
        if (_connection is null || !CanAsk)
        {
            return;
        }
        exchange.State = ExchangeState.Sending;
        exchange.Problem = null;
        await SendAsync(exchange);
    }

    private async Task StopAsync()
    {
        if (_connection is null || _conversation.Stoppable?.JobId is not { } jobId)
        {
            return;
        }
        var outcome = await _connection.CancelAsync(jobId);
        // 409: it finished meanwhile, and its result is on its way; the cancelled event ends the rest.
        if (!outcome.Ok && outcome.Status != 409)
        {
            _notice = outcome.Offline ? "You are offline: the answer could not be stopped." : "The answer could not be stopped. Try again.";
        }
    }

    private async Task RetryAsync(ChatExchange exchange)
    {
        if (_connection is null || exchange.JobId is not { } jobId)
        {
            return;
        }
        var (state, problem) = (exchange.State, exchange.Problem);
        ChatConversation.AwaitAgain(exchange, keepText: false);
        StateHasChanged();
        // The delivery resumes after the last event the ended one saw, not replaying the old attempt.
        var outcome = await _connection.RetryAsync(jobId, exchange.LastEventId);
        if (_disposed)
        {
            return;
        }
        if (!outcome.Ok || outcome.Data is null)
        {
            (exchange.State, exchange.Problem) = (state, outcome.Status == 409
                ? "This answer has already been retried elsewhere. Reload to see where it stands."
                : $"{problem} The retry did not go through: {RefusalText.Describe(outcome)}");
            StateHasChanged();
            return;
        }
        ChatConversation.Retried(exchange, outcome.Data);
    }

    private async Task KeepWaitingAsync(ChatExchange exchange)
    {
        if (_connection is null || exchange.Job is null)
        {
            return;
        }
        ChatConversation.AwaitAgain(exchange, keepText: true);
        StateHasChanged();
        await _connection.DeliverAsync(exchange.Job, exchange.LastEventId);
    }

    private async Task NewConversationAsync()
    {
        if (_connection is null || _conversation.IsBusy)
        {
            return;
        }
        await _connection.StopAllDeliveriesAsync();
        await _connection.UnfollowSessionAsync();
        _conversation.Clear();
        _notice = null;
        if (_input is not null)
        {
            await _input.FocusAsync();
        }
    }

    private async Task OpenSessionAsync(Guid sessionId)
    {
        if (_connection is null)
        {
            return;
        }
        if (_conversation.SessionId is { } current && current != sessionId)
        {
            // The answers of the conversation left behind go on on the server; its history resumes them.
            await _connection.StopAllDeliveriesAsync();
            await _connection.UnfollowSessionAsync();
            _conversation.Clear();
        }
        await ShowHistoryAsync(sessionId);
        if (!_disposed && FollowsSessionStream && _conversation.SessionId == sessionId)
        {
            await _connection.FollowSessionAsync(sessionId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // _connection stays set: a handler still awaiting sees _disposed and stops before using it again.
        _disposed = true;
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
