using BlazorJobs.App.Client.Chat;
using Bunit;

namespace BlazorJobs.Tests.Components;

/// <summary>The chat panel in each state an answer goes through, with the browser module mocked.</summary>
public sealed class ChatPanelTests : ChatTestContext
{
    public ChatPanelTests()
    {
        Chat.Setup<ApiOutcome<ChatJob>>("enqueue", _ => true).SetResult(Ok(Job()));
        Chat.SetupVoid("deliver", _ => true).SetVoidResult();
    }

    [Fact]
    public void An_empty_chat_greets_the_reader_and_offers_questions_to_start_with()
    {
        var panel = RenderTutorPanel(p => p.Add(x => x.EmptyText, "Stuck? Ask the tutor."));

        panel.WaitForAssertion(() => Assert.False(panel.Find("textarea").HasAttribute("disabled")));
        Assert.Contains("Stuck? Ask the tutor.", panel.Find(".chat-empty").TextContent);
        Assert.Contains("How do I centre a div?", panel.Find(".chat-suggestions").TextContent);
        Assert.Empty(panel.FindAll(".chat-turn"));
        Assert.NotNull(panel.Find("button[aria-label='Send']"));
    }

    [Fact]
    public void A_sent_question_shows_at_once_and_waits_for_its_answer()
    {
        var panel = RenderTutorPanel(p => p.Add(x => x.CourseId, Guid.Parse("11111111-2222-3333-4444-555555555555")));

        Ask(panel, "How do I centre a div?");

        Assert.Contains("How do I centre a div?", panel.Find(".chat-bubble-user").TextContent);
        Assert.Equal("waiting", StateOf(panel));
        Assert.Contains("Waiting for the tutor", panel.Find(".chat-answer").TextContent);
        Assert.NotNull(panel.Find("button[aria-label='Stop the answer']"));
        var question = (ChatQuestion)Chat.Invocations["enqueue"].Single().Arguments[0]!;
        Assert.Equal(Guid.Parse("11111111-2222-3333-4444-555555555555"), question.CourseId);
        // The module delivers the job it enqueued from the 202 body; .NET does not hand it back.
        Assert.Empty(Chat.Invocations["deliver"]);
    }

    [Fact]
    public async Task The_modules_acceptance_of_a_question_joins_its_exchange_before_the_enqueue_answers()
    {
        var slowEnqueue = Chat.Setup<ApiOutcome<ChatJob>>("enqueue", _ => true);
        var panel = RenderTutorPanel();
        Ask(panel, "How do I centre a div?");
        var key = ((ChatQuestion)Chat.Invocations["enqueue"].Single().Arguments[0]!).IdempotencyKey;

        await Callback(panel, c => c.OnJobAccepted(key, Job("hybrid")));
        await Callback(panel, c => c.OnJobUpdate(Delta("Use flexbox")));
        slowEnqueue.SetResult(Ok(Job("hybrid")));

        panel.WaitForAssertion(() => Assert.Equal("streaming", StateOf(panel)));
        Assert.Contains("Use flexbox", panel.Find(".chat-answer").TextContent);
        Assert.Contains("via hybrid", panel.Find(".chat-panel").GetAttribute("data-delivery"));
    }

    [Fact]
    public async Task The_modules_acceptance_arriving_after_the_enqueue_answered_changes_nothing_shown()
    {
        var panel = RenderTutorPanel();
        Ask(panel, "How do I centre a div?");
        var key = ((ChatQuestion)Chat.Invocations["enqueue"].Single().Arguments[0]!).IdempotencyKey;
        await Callback(panel, c => c.OnJobUpdate(Delta("Use flexbox")));

        await Callback(panel, c => c.OnJobAccepted(key, Job()));

        Assert.Equal("streaming", StateOf(panel));
        Assert.Contains("Use flexbox", panel.Find(".chat-answer").TextContent);
    }

    [Fact]
    public async Task A_progress_stage_says_what_the_tutor_is_doing()
    {
        var panel = RenderTutorPanel();
        Ask(panel, "What is a flex container?");

        await Callback(panel, c => c.OnJobUpdate(Status("PROCESSING")));
        await Callback(panel, c => c.OnJobUpdate(Stage("retrieving", "Searching the course material")));

        Assert.Equal("working", StateOf(panel));
        Assert.Contains("Searching the course material", panel.Find(".chat-answer").TextContent);
    }

    [Fact]
    public async Task Streamed_text_appears_as_it_arrives_in_a_polite_live_region_with_stop_offered()
    {
        var panel = RenderTutorPanel();
        Ask(panel, "What is a flex container?");

        await Callback(panel, c => c.OnJobUpdate(Status("PROCESSING")));
        await Callback(panel, c => c.OnJobUpdate(Delta("A flex container ")));
        await Callback(panel, c => c.OnJobUpdate(Delta("lays out its **children**")));

        Assert.Equal("streaming", StateOf(panel));
        var answer = panel.Find(".chat-answer");
        Assert.Equal("polite", answer.GetAttribute("aria-live"));
        Assert.Equal("true", answer.GetAttribute("aria-busy"));
        Assert.Contains("A flex container lays out its", answer.TextContent);
        Assert.Equal("children", panel.Find(".chat-answer strong").TextContent);
        Assert.NotNull(panel.Find("button[aria-label='Stop the answer']"));
        Assert.False(panel.Find("textarea").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_completed_answer_links_its_sources_and_offers_next_questions_as_chips()
    {
        var panel = RenderTutorPanel();
        Ask(panel, "How do I centre a div?");
        await Callback(panel, c => c.OnJobUpdate(Delta("Use flexbox")));

        await Callback(panel, c => c.OnJobCompleted(JobId, Result("Use `justify-content: center`."), "sse"));

        Assert.Equal("completed", StateOf(panel));
        Assert.Equal("false", panel.Find(".chat-answer").GetAttribute("aria-busy"));
        Assert.Equal("justify-content: center", panel.Find(".chat-answer code").TextContent);
        var source = panel.Find(".chat-sources a");
        Assert.Equal("/courses/html-css-foundations?lesson=flexbox-layout", source.GetAttribute("href"));
        Assert.Contains("Flexbox layout", source.TextContent);
        var chips = panel.FindAll(".chat-suggestions .mud-chip");
        Assert.Equal(["What is justify-content?", "How does align-items work?"], chips.Select(c => c.TextContent.Trim()));
        Assert.Equal("via sse", panel.Find(".chat-panel").GetAttribute("data-delivery"));
        Assert.NotNull(panel.Find("button[aria-label='Send']"));
    }

    [Fact]
    public async Task Choosing_a_suggested_question_asks_it()
    {
        var panel = RenderTutorPanel();
        Ask(panel, "How do I centre a div?");
        await Callback(panel, c => c.OnJobCompleted(JobId, Result("Use flexbox."), "sse"));

        panel.FindAll(".chat-suggestions .mud-chip")[0].Click();

        var asked = Chat.Invocations["enqueue"].Select(i => ((ChatQuestion)i.Arguments[0]!).Question);
        Assert.Equal(["How do I centre a div?", "What is justify-content?"], asked);
        Assert.Equal(2, panel.FindAll(".chat-turn").Count);
    }

    [Fact]
    public void Choosing_a_suggested_question_moves_focus_to_the_question_box()
    {
        var panel = RenderTutorPanel();
        panel.WaitForAssertion(() => Assert.False(panel.Find("textarea").HasAttribute("disabled")));
        var focusCallsBefore = JSInterop.Invocations.Count(i => i.Identifier.Contains("focus", StringComparison.OrdinalIgnoreCase));

        panel.Find(".chat-empty .mud-chip").Click();

        // The chip list is gone once the question is asked: focus must not fall to the page's body.
        Assert.Empty(panel.FindAll(".chat-empty"));
        Assert.True(JSInterop.Invocations.Count(i => i.Identifier.Contains("focus", StringComparison.OrdinalIgnoreCase)) > focusCallsBefore);
    }

    [Fact]
    public async Task A_completed_answer_can_be_copied_and_regenerated_as_a_new_question()
    {
        var panel = RenderTutorPanel();
        Ask(panel, "How do I centre a div?");
        await Callback(panel, c => c.OnJobCompleted(JobId, Result("Use **flexbox**."), "sse"));

        panel.Find("button[aria-label='Copy the answer']").Click();
        var copied = JSInterop.Invocations.Single(i => i.Identifier == "navigator.clipboard.writeText");
        Assert.Equal("Use **flexbox**.", copied.Arguments[0]); // the Markdown, as written
        Assert.NotNull(panel.Find("button[aria-label='Answer copied']"));

        panel.Find("button[aria-label='Regenerate the answer']").Click();
        var asked = Chat.Invocations["enqueue"].Select(i => ((ChatQuestion)i.Arguments[0]!).Question);
        Assert.Equal(["How do I centre a div?", "How do I centre a div?"], asked);
        Assert.Equal(["completed", "waiting"], panel.FindAll(".chat-turn").Select(t => t.GetAttribute("data-state")));
        // While the new answer runs, no other answer can be regenerated (one question at a time).
        Assert.True(panel.Find("button[aria-label='Regenerate the answer']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_growing_answer_shows_formatting_not_raw_markers_and_code_comes_with_a_copy_button()
    {
        var panel = RenderTutorPanel();
        Ask(panel, "Show me flexbox");

        await Callback(panel, c => c.OnJobUpdate(Delta("Use **display: fl")));
        Assert.Equal("streaming", StateOf(panel));
        Assert.Contains("<strong>display: fl</strong>", panel.Find(".chat-markdown").InnerHtml);
        Assert.DoesNotContain("**", panel.Find(".chat-markdown").TextContent);

        await Callback(panel, c => c.OnJobUpdate(Delta("ex**:\n\n```css\n.box { display: flex; }")));
        await Callback(panel, c => c.OnJobUpdate(Delta("\n")));
        var code = panel.Find(".chat-code");
        Assert.Equal("css", code.QuerySelector(".chat-code-language")!.TextContent);
        Assert.Equal("Copy css code", code.QuerySelector(".chat-code-copy")!.GetAttribute("aria-label"));
        Assert.Contains(".box { display: flex; }", code.QuerySelector("pre code")!.TextContent);
        Assert.DoesNotContain("```", panel.Find(".chat-markdown").TextContent);
    }

    [Fact]
    public async Task A_failed_answer_offers_retry_which_resumes_the_same_job_without_a_second_message()
    {
        Chat.Setup<ApiOutcome<ChatJob>>("retry", _ => true).SetResult(Ok(Job("polling")));
        var panel = RenderTutorPanel();
        Ask(panel, "How do I centre a div?");

        await Callback(panel, c => c.OnJobEnded(JobId, "failed", "The tutor could not reach the course content.", "9", 0));

        Assert.Equal("failed", StateOf(panel));
        Assert.Contains("The tutor could not reach the course content.", panel.Find(".chat-problem").TextContent);
        panel.FindAll("button").Single(b => b.TextContent.Contains("Retry")).Click();

        var retried = Chat.Invocations["retry"].Single();
        Assert.Equal(JobId, (Guid)retried.Arguments[0]!);
        Assert.Equal("9", retried.Arguments[1]); // resumes after the event the ended delivery saw last
        Assert.Empty(Chat.Invocations["deliver"]); // the module delivers the retried job itself
        Assert.Equal("waiting", StateOf(panel));
        panel.WaitForAssertion(() => Assert.Contains("via polling", panel.Find(".chat-panel").GetAttribute("data-delivery")));
        Assert.Single(panel.FindAll(".chat-bubble-user"));
        Assert.Single(Chat.Invocations["enqueue"]);
    }

    [Fact]
    public async Task Stop_cancels_the_running_answer_and_keeps_what_was_written()
    {
        Chat.Setup<ApiOutcome<System.Text.Json.JsonElement?>>("cancel", _ => true).SetResult(Ok<System.Text.Json.JsonElement?>(null));
        var panel = RenderTutorPanel();
        Ask(panel, "Explain the cascade");
        await Callback(panel, c => c.OnJobUpdate(Delta("The cascade decides ")));

        panel.Find("button[aria-label='Stop the answer']").Click();
        await Callback(panel, c => c.OnJobEnded(JobId, "cancelled", "The job was cancelled.", "5", 0));

        Assert.Equal(JobId, (Guid)Chat.Invocations["cancel"].Single().Arguments[0]!);
        Assert.Equal("cancelled", StateOf(panel));
        Assert.Contains("The cascade decides", panel.Find(".chat-answer").TextContent);
        Assert.Contains("You stopped this answer.", panel.Find(".chat-problem").TextContent);
        Assert.NotNull(panel.Find("button[aria-label='Send']"));
    }

    [Fact]
    public async Task A_timed_out_wait_offers_to_keep_waiting_from_the_last_event()
    {
        var panel = RenderTutorPanel();
        Ask(panel, "Explain the cascade");
        await Callback(panel, c => c.OnJobUpdate(Delta("The cascade ")));

        await Callback(panel, c => c.OnJobEnded(JobId, "timeout", "The stream timed out; the job goes on.", "12", 0));
        Assert.Equal("interrupted", StateOf(panel));
        panel.FindAll("button").Single(b => b.TextContent.Contains("Keep waiting")).Click();

        var resumed = Chat.Invocations["deliver"].Last();
        Assert.Equal("12", resumed.Arguments[1]);
        Assert.Equal("streaming", StateOf(panel));
        Assert.Contains("The cascade", panel.Find(".chat-answer").TextContent);
    }

    [Fact]
    public async Task Offline_is_shown_and_sending_waits_until_the_browser_is_back_online()
    {
        var panel = RenderTutorPanel();
        panel.WaitForAssertion(() => Assert.False(panel.Find("textarea").HasAttribute("disabled")));

        await Callback(panel, c => c.OnConnectivity(false));
        panel.Find("textarea").Input("Anyone there?");

        Assert.Contains("You are offline", panel.Find(".chat-offline").TextContent);
        Assert.True(panel.Find("button[aria-label='Send']").HasAttribute("disabled"));
        await Callback(panel, c => c.OnConnectivity(true));
        Assert.Empty(panel.FindAll(".chat-offline"));
        Assert.False(panel.Find("button[aria-label='Send']").HasAttribute("disabled"));
    }

    [Fact]
    public void A_question_the_server_refused_can_be_sent_again_with_the_same_idempotency_key()
    {
        Chat.Setup<ApiOutcome<ChatJob>>("enqueue", _ => true)
            .SetResult(Refused<ChatJob>(429, "Too many requests") with { RetryAfter = "40" });
        var panel = RenderTutorPanel();

        Ask(panel, "Quick question");
        Assert.Equal("notsent", StateOf(panel));
        // Retry-After says when: the reader is told, not left guessing.
        Assert.Contains("You can ask again in 40 seconds", panel.Find(".chat-problem").TextContent);
        panel.FindAll("button").Single(b => b.TextContent.Contains("Send again")).Click();

        var keys = Chat.Invocations["enqueue"].Select(i => ((ChatQuestion)i.Arguments[0]!).IdempotencyKey).ToList();
        Assert.Equal(2, keys.Count);
        Assert.Equal(keys[0], keys[1]);
        Assert.Single(panel.FindAll(".chat-turn"));
    }

    [Fact]
    public async Task Disposing_mid_stream_stops_the_browser_module_and_releases_the_callback_reference()
    {
        var panel = RenderTutorPanel();
        Ask(panel, "Explain the cascade");
        await Callback(panel, c => c.OnJobUpdate(Delta("The cascade ")));
        var reference = CallbacksReference;
        var callbacks = reference.Value;

        await DisposeComponentsAsync();

        Assert.Single(Chat.Invocations["dispose"]);
        Assert.Throws<ObjectDisposedException>(() => reference.Value);
        // A callback already on its way when the component went away changes nothing and does not throw.
        await callbacks.OnJobUpdate(Delta("more text"));
        await callbacks.OnJobCompleted(JobId, Result("done"), "sse");
    }
}
