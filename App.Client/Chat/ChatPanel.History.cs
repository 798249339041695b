using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace BlazorJobs.App.Client.Chat;

/// <summary>The chat's sessions: the earlier conversations, a history shown again, and the session stream followed.</summary>
public partial class ChatPanel
{
    private MudMenu? _historyMenu;

    private async Task CloseHistoryOnEscapeAsync(KeyboardEventArgs args)
    {
        if (args.Key == "Escape" && _historyMenu is not null)
        {
            await _historyMenu.CloseMenuAsync();
        }
    }

    private async Task LoadSessionsAsync(bool openLatest)
    {
        var outcome = await _connection!.ListSessionsAsync(CourseId);
        if (_disposed)
        {
            return;
        }
        if (!outcome.Ok)
        {
            _notice = "Your earlier conversations could not be loaded.";
            return;
        }
        _sessions = outcome.Data?.Sessions ?? [];
        if (openLatest && _sessions.Count > 0)
        {
            await OpenSessionAsync(_sessions[0].SessionId);
        }
    }

    private async Task ShowHistoryAsync(Guid sessionId)
    {
        var outcome = await _connection!.LoadHistoryAsync(sessionId);
        if (_disposed)
        {
            return;
        }
        if (!outcome.Ok || outcome.Data is null)
        {
            _notice = "This conversation could not be loaded.";
            return;
        }
        foreach (var (job, lastEventId) in _conversation.LoadHistory(outcome.Data))
        {
            if (_disposed)
            {
                return;
            }
            await _connection.DeliverAsync(job, lastEventId);
        }
        StateHasChanged();
    }

    private async Task OnSessionStartedAsync(Guid sessionId, string question)
    {
        if (!_sessions.Any(s => s.SessionId == sessionId))
        {
            _sessions = [new ChatSessionSummary(sessionId, question, CourseId, DateTimeOffset.UtcNow), .. _sessions];
        }
        if (FollowsSessionStream && _conversation.SessionId == sessionId)
        {
            await _connection!.FollowSessionAsync(sessionId);
        }
    }

    /// <summary>Another tab asked or retried something: show the history again (one reload at a time).</summary>
    private async Task ReloadHistoryAsync()
    {
        if (_conversation.SessionId is not { } sessionId)
        {
            return;
        }
        if (_reloadRunning)
        {
            _reloadAgain = true;
            return;
        }
        _reloadRunning = true;
        try
        {
            do
            {
                _reloadAgain = false;
                await ShowHistoryAsync(sessionId);
            }
            while (_reloadAgain && !_disposed && _conversation.SessionId == sessionId);
        }
        finally
        {
            _reloadRunning = false;
        }
    }
}
