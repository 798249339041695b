using System.Text.Json;
using BlazorJobs.App.Client.Chat;
using Bunit;

namespace BlazorJobs.Tests.Components;

/// <summary>
/// WebAssembly taking over the landing guide: the panel first shows the turns the early guide left in
/// sessionStorage (no blink to a skeleton while the history is fetched), then the session's history.
/// </summary>
public sealed class ChatPanelHandoverTests : ChatTestContext
{
    private static readonly Guid AnsweredJob = Guid.Parse("bbbbbbbb-0000-4000-8000-000000000001");
    private static readonly Guid StreamingJob = Guid.Parse("bbbbbbbb-0000-4000-8000-000000000002");
    private static readonly DateTimeOffset At = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    public ChatPanelHandoverTests()
    {
        Chat.Setup<ApiOutcome<ChatSessionList>>("listSessions", _ => true)
            .SetResult(Ok(new ChatSessionList([new ChatSessionSummary(SessionId, "What is flexbox?", null, At)])));
        Chat.SetupVoid("deliver", _ => true).SetVoidResult();
        JSInterop.SetupVoid("sessionStorage.removeItem", EarlyGuideHandover.StorageKey).SetVoidResult();
        JSInterop.Setup<string?>("sessionStorage.getItem", EarlyGuideHandover.StorageKey).SetResult(JsonSerializer.Serialize(new EarlyGuideHandover.Turn[]
        {
            new("What is flexbox?", "Flexbox lays out **items** in a row.", "completed", null, ["What is justify-content?"]),
            new("And grid?", "Grid lays", "streaming", null, []),
        }, JsonSerializerOptions.Web));
    }

    private IRenderedComponent<ChatPanel> RenderTakingOver() => RenderTutorPanel(p => p
        .Add(x => x.RemembersConversation, true)
        .Add(x => x.TakesOverEarlyGuide, true));

    [Fact]
    public void The_early_guides_turns_show_at_once_and_the_history_then_replaces_them()
    {
        var history = Chat.Setup<ApiOutcome<ChatSessionHistory>>("history", _ => true); // not answered yet

        var panel = RenderTakingOver();

        // While the history is on its way: the guide's two turns, as they were, and no skeleton.
        panel.WaitForAssertion(() => Assert.Single(Chat.Invocations["history"]));
        Assert.Equal(2, panel.FindAll(".chat-turn").Count);
        Assert.Equal("completed", StateOf(panel, 0));
        Assert.Equal("items", panel.Find(".chat-answer strong").TextContent);
        Assert.Equal("streaming", StateOf(panel, 1));
        Assert.Contains("Grid lays", panel.FindAll(".chat-answer")[1].TextContent);
        Assert.DoesNotContain("Loading your conversation", panel.Markup);
        Assert.Single(JSInterop.Invocations["sessionStorage.removeItem"]);

        history.SetResult(Ok(new ChatSessionHistory(SessionId,
        [
            new("user", "What is flexbox?", AnsweredJob, "COMPLETED", null, At),
            new("assistant", "Flexbox lays out **items** in a row.", AnsweredJob, "COMPLETED", [new ChatSource("Flexbox layout", "/courses/html-css-foundations?lesson=flexbox-layout")], At),
            new("user", "And grid?", StreamingJob, "PROCESSING", null, At),
        ], new ChatPendingJob(StreamingJob, "PROCESSING", 7, "sse", $"/api/assistant/stream/{StreamingJob}", $"/api/assistant/job/{StreamingJob}"))));

        // The history's turns, not the guide's copies: sources shown, the running answer resumed.
        panel.WaitForAssertion(() => Assert.Single(panel.FindAll(".chat-sources a")));
        Assert.Equal(2, panel.FindAll(".chat-turn").Count);
        Assert.Equal(StreamingJob, ((ChatJob)Chat.Invocations["deliver"].Single().Arguments[0]!).JobId);
    }

    [Fact]
    public void When_the_history_cannot_be_loaded_the_handed_over_turns_go_and_the_panel_says_so()
    {
        Chat.Setup<ApiOutcome<ChatSessionHistory>>("history", _ => true).SetResult(Refused<ChatSessionHistory>(503, "Unavailable"));

        var panel = RenderTakingOver();

        panel.WaitForAssertion(() => Assert.Contains("could not be loaded", panel.Markup));
        Assert.Empty(panel.FindAll(".chat-turn"));
        Assert.False(panel.Find("textarea").HasAttribute("disabled")); // nothing left running: a new question can be asked
    }

    [Fact]
    public void Without_the_takeover_the_panel_reads_nothing_from_storage()
    {
        Chat.Setup<ApiOutcome<ChatSessionHistory>>("history", _ => true);

        var panel = RenderTutorPanel(p => p.Add(x => x.RemembersConversation, true));

        panel.WaitForAssertion(() => Assert.Contains("Loading your conversation", panel.Markup));
        Assert.Empty(JSInterop.Invocations["sessionStorage.getItem"]);
    }
}
