using BlazorJobs.App.Client.Chat;

namespace BlazorJobs.Tests.Unit;

/// <summary>The conversation is the one owner of a chat's state: what the browser module reports means what it decides here.</summary>
public sealed class ChatConversationTests
{
    private static readonly Guid SessionId = Guid.Parse("7b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d");
    private static readonly Guid JobId = Guid.Parse("3f2d9a8e-1b7c-4c55-9a0e-6a1f0e2b7c01");
    private static readonly Guid OtherJob = Guid.Parse("3f2d9a8e-1b7c-4c55-9a0e-6a1f0e2b7c02");
    private static readonly DateTimeOffset At = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private static ChatJob Job(string delivery = "sse", Guid? jobId = null) =>
        new(jobId ?? JobId, SessionId, delivery, $"/from-server/stream/{jobId ?? JobId}", $"/from-server/job/{jobId ?? JobId}");

    private static JobUpdate Delta(string text) => new(JobId, false, text, null, null, null, null, null, null);

    [Fact]
    public void The_modules_acceptance_joins_the_job_to_the_exchange_that_sent_its_idempotency_key()
    {
        var conversation = new ChatConversation();
        var exchange = conversation.Ask("What is flexbox?");

        var joined = conversation.Accepted(exchange.ClientId.ToString(), Job("hybrid"));

        Assert.True(joined);
        Assert.Equal((JobId, ExchangeState.Waiting, "hybrid"), (exchange.JobId, exchange.State, exchange.Mode));
        Assert.Equal(SessionId, conversation.SessionId);
    }

    [Fact]
    public void An_acceptance_told_a_second_time_does_not_undo_what_arrived_since()
    {
        var conversation = new ChatConversation();
        var exchange = conversation.Ask("What is flexbox?");
        conversation.Accepted(exchange, Job());
        conversation.Apply(Delta("Use display: flex"));

        conversation.Accepted(exchange.ClientId.ToString(), Job());

        Assert.Equal(ExchangeState.Streaming, exchange.State);
        Assert.Equal("Use display: flex", exchange.Answer);
    }

    [Fact]
    public void An_acceptance_for_an_exchange_no_longer_shown_changes_nothing()
    {
        var conversation = new ChatConversation();
        var left = conversation.Ask("Asked before a new conversation");
        conversation.Clear();

        Assert.False(conversation.Accepted(left.ClientId.ToString(), Job()));
        Assert.Empty(conversation.Exchanges);
    }

    [Theory]
    [InlineData("PROCESSING", false)] // this page follows it
    [InlineData("COMPLETED", false)] // ... and its delivery will say so
    public void A_session_update_about_a_job_this_page_follows_is_not_news(string status, bool news)
    {
        var conversation = new ChatConversation();
        conversation.Accepted(conversation.Ask("Q"), Job());

        Assert.Equal(news, conversation.IsNews(new SessionActivity(JobId, status, 1, false, false)));
    }

    [Fact]
    public void A_session_update_about_an_unknown_job_or_a_status_this_page_does_not_show_is_news()
    {
        var conversation = new ChatConversation();
        var exchange = conversation.Ask("Q");
        conversation.Accepted(exchange, Job());
        conversation.End(new JobEnd(JobId, "failed", "boom", "7", 0));

        Assert.True(conversation.IsNews(new SessionActivity(OtherJob, "PENDING", 1, false, false)));
        Assert.True(conversation.IsNews(new SessionActivity(JobId, "PENDING", 2, false, false))); // retried elsewhere
        Assert.False(conversation.IsNews(new SessionActivity(JobId, "FAILED", 1, false, true)));
    }

    [Fact]
    public void A_pending_job_from_history_resumes_with_the_servers_urls_and_its_stored_mode()
    {
        var conversation = new ChatConversation();
        var history = new ChatSessionHistory(SessionId,
            [new ChatHistoryMessage("user", "Q", JobId, "PROCESSING", null, At)],
            new ChatPendingJob(JobId, "PROCESSING", 4, "polling", "/s/stream/x", "/s/job/x"));

        var resume = Assert.Single(conversation.LoadHistory(history));

        Assert.Equal(new ChatJob(JobId, SessionId, "polling", "/s/stream/x", "/s/job/x"), resume.Job);
        Assert.Equal("4", resume.LastEventId);
        Assert.Equal("polling", conversation.Exchanges[0].Mode);
    }

    [Fact]
    public void An_unfinished_job_history_gives_no_urls_for_is_shown_interrupted_rather_than_followed_on_built_routes()
    {
        var conversation = new ChatConversation();
        var history = new ChatSessionHistory(SessionId,
            [new ChatHistoryMessage("user", "Older", OtherJob, "PROCESSING", null, At), new ChatHistoryMessage("user", "Newer", JobId, "PENDING", null, At)],
            new ChatPendingJob(JobId, "PENDING", 1, "sse", "/s/stream/x", "/s/job/x"));

        var resume = conversation.LoadHistory(history);

        Assert.Equal([JobId], resume.Select(r => r.Job.JobId));
        var older = conversation.Exchanges[0];
        Assert.Equal(ExchangeState.Interrupted, older.State);
        Assert.Null(older.Job);
        Assert.False(older.CanKeepWaiting);
    }

    [Fact]
    public void A_finished_job_from_history_can_be_retried_by_its_id_without_any_url()
    {
        var conversation = new ChatConversation();
        var history = new ChatSessionHistory(SessionId,
            [new ChatHistoryMessage("user", "Q", JobId, "FAILED", null, At)], null);

        conversation.LoadHistory(history);

        var exchange = Assert.Single(conversation.Exchanges);
        Assert.Equal((JobId, true), (exchange.JobId, exchange.CanRetry));
        Assert.Null(exchange.Job);
    }
}
