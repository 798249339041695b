using BlazorJobs.App.Client.Chat;
using Bunit;

namespace BlazorJobs.Tests.Components;

/// <summary>A remembered conversation: history on load, a pending answer resumed, other tabs' questions shown live.</summary>
public sealed class ChatPanelHistoryTests : ChatTestContext
{
    private static readonly Guid AnsweredJob = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");
    private static readonly Guid PendingJob = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000002");
    private static readonly Guid OtherTabJob = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000003");
    private static readonly DateTimeOffset At = new(2025, 11, 20, 10, 0, 0, TimeSpan.Zero);

    public ChatPanelHistoryTests()
    {
        Chat.Setup<ApiOutcome<ChatSessionList>>("listSessions", _ => true)
            .SetResult(Ok(new ChatSessionList([new ChatSessionSummary(SessionId, "What is grid?", null, At)])));
        Chat.SetupVoid("deliver", _ => true).SetVoidResult();
        Chat.SetupVoid("followSession", _ => true).SetVoidResult();
    }

    private static ChatSessionHistory History(params ChatHistoryMessage[] messages) => new(
        SessionId, messages, new ChatPendingJob(PendingJob, "PROCESSING", 4, "hybrid", $"/api/assistant/stream/{PendingJob}?from=history", $"/api/assistant/job/{PendingJob}?from=history"));

    private static ChatHistoryMessage[] Earlier =>
    [
        new("user", "What is grid?", AnsweredJob, "COMPLETED", null, At),
        new("assistant", "Grid lays out **rows and columns**.", AnsweredJob, "COMPLETED",
            [new ChatSource("CSS grid layout", "/courses/html-css-foundations?lesson=css-grid-layout")], At),
        new("user", "And subgrid?", PendingJob, "PROCESSING", null, At),
    ];

    private IRenderedComponent<ChatPanel> RenderRemembering() => RenderTutorPanel(p => p
        .Add(x => x.RemembersConversation, true)
        .Add(x => x.FollowsSessionStream, true));

    [Fact]
    public void On_load_the_latest_conversation_is_shown_and_its_pending_answer_resumes_from_history()
    {
        Chat.Setup<ApiOutcome<ChatSessionHistory>>("history", _ => true).SetResult(Ok(History(Earlier)));

        var panel = RenderRemembering();

        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll(".chat-turn").Count));
        Assert.Equal("completed", StateOf(panel, 0));
        Assert.Equal("rows and columns", panel.Find(".chat-answer strong").TextContent);
        Assert.Equal("/courses/html-css-foundations?lesson=css-grid-layout", panel.Find(".chat-sources a").GetAttribute("href"));
        Assert.Equal("waiting", StateOf(panel, 1));
        var resumed = Chat.Invocations["deliver"].Single();
        // Resumed exactly as history describes it: its stored mode and the server's URLs, none built here.
        Assert.Equal(new ChatJob(PendingJob, SessionId, "hybrid", $"/api/assistant/stream/{PendingJob}?from=history", $"/api/assistant/job/{PendingJob}?from=history"),
            (ChatJob)resumed.Arguments[0]!);
        Assert.Equal("4", resumed.Arguments[1]);
        Assert.Equal(SessionId, (Guid)Chat.Invocations["followSession"].Single().Arguments[0]!);
    }

    [Fact]
    public async Task A_question_asked_in_another_tab_appears_when_the_session_stream_reports_it()
    {
        Chat.Setup<ApiOutcome<ChatSessionHistory>>("history", _ => true).SetResult(Ok(History(Earlier)));
        var panel = RenderRemembering();
        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll(".chat-turn").Count));
        Chat.Setup<ApiOutcome<ChatSessionHistory>>("history", _ => true).SetResult(Ok(History(
        [
            .. Earlier,
            new("user", "Asked in the other tab", OtherTabJob, "COMPLETED", null, At),
            new("assistant", "Answered there.", OtherTabJob, "COMPLETED", null, At),
        ])));

        await Callback(panel, c => c.OnSessionActivity(new SessionActivity(OtherTabJob, "COMPLETED", 1, HasResult: true, HasError: false)));

        panel.WaitForAssertion(() => Assert.Equal(3, panel.FindAll(".chat-turn").Count));
        Assert.Contains("Asked in the other tab", panel.FindAll(".chat-bubble-user")[2].TextContent);
        // The answer this page is already following is not started a second time.
        Assert.Single(Chat.Invocations["deliver"]);
    }

    [Theory]
    [InlineData("aaaaaaaa-0000-4000-8000-000000000001", "COMPLETED")] // shown as completed already
    [InlineData("aaaaaaaa-0000-4000-8000-000000000002", "PROCESSING")] // followed by this page
    public async Task A_session_update_about_what_this_page_already_shows_is_not_news(string jobId, string status)
    {
        Chat.Setup<ApiOutcome<ChatSessionHistory>>("history", _ => true).SetResult(Ok(History(Earlier)));
        var panel = RenderRemembering();
        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll(".chat-turn").Count));

        await Callback(panel, c => c.OnSessionActivity(new SessionActivity(Guid.Parse(jobId), status, 1, HasResult: false, HasError: false)));

        Assert.Single(Chat.Invocations["history"]); // no reload
    }

    [Fact]
    public void An_earlier_conversation_can_be_picked_from_the_list_and_is_shown_instead()
    {
        var earlier = Guid.Parse("bbbbbbbb-0000-4000-8000-000000000001");
        Chat.Setup<ApiOutcome<ChatSessionList>>("listSessions", _ => true).SetResult(Ok(new ChatSessionList(
            [new ChatSessionSummary(SessionId, "What is grid?", null, At), new ChatSessionSummary(earlier, "What is a closure?", null, At.AddDays(-2))])));
        Chat.Setup<ApiOutcome<ChatSessionHistory>>("history", i => (Guid)i.Arguments[0]! == SessionId).SetResult(Ok(History(Earlier)));
        Chat.Setup<ApiOutcome<ChatSessionHistory>>("history", i => (Guid)i.Arguments[0]! == earlier).SetResult(Ok(new ChatSessionHistory(earlier,
        [
            new("user", "What is a closure?", OtherTabJob, "COMPLETED", null, At),
            new("assistant", "A function that remembers its scope.", OtherTabJob, "COMPLETED", null, At),
        ], null)));
        Chat.SetupVoid("stopAllDeliveries").SetVoidResult();
        Chat.SetupVoid("unfollowSession").SetVoidResult();
        RenderInteractively();
        var host = Render(builder =>
        {
            builder.OpenComponent<MudBlazor.MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<ChatPanel>(1);
            builder.AddAttribute(2, nameof(ChatPanel.Endpoint), ChatEndpoint.Tutor);
            builder.AddAttribute(3, nameof(ChatPanel.RemembersConversation), true);
            builder.AddAttribute(4, nameof(ChatPanel.ShowEarlierConversations), true);
            builder.CloseComponent();
        });
        var panel = host.FindComponent<ChatPanel>();
        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll(".chat-turn").Count));

        panel.Find("button[aria-label='Earlier conversations']").Click();
        host.WaitForElements(".mud-menu-item", 2).Single(item => item.TextContent.Contains("What is a closure?")).Click();

        panel.WaitForAssertion(() => Assert.Single(panel.FindAll(".chat-turn")));
        Assert.Contains("What is a closure?", panel.Find(".chat-bubble-user").TextContent);
        Assert.Single(Chat.Invocations["stopAllDeliveries"]);
    }
}
