using System.Net;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration;

public sealed class LandingGuideEndToEndTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_visitor_question_is_answered_from_the_course_content_with_sources()
    {
        using var visitor = app.CreateClient();

        var accepted = await ChatApi.AskAsync(visitor, ChatApi.Landing, "How do I center an element with flexbox?");
        var job = await ChatApi.WaitForTerminalAsync(visitor, accepted.PollUrl);

        Assert.Equal("COMPLETED", job.Status);
        Assert.Contains("justify-content", job.Result!.Answer);
        Assert.Contains(job.Result.Sources, s => s.Url.Contains("flexbox", StringComparison.OrdinalIgnoreCase));
        Assert.InRange(job.Result.NextSuggestions.Count, 2, 3);
    }

    [Fact]
    public async Task The_stream_replays_every_event_from_the_first_and_ends_after_completed()
    {
        using var visitor = app.CreateClient();
        var accepted = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is the event loop in JavaScript?");

        var events = await SseTestClient.ReadJobStreamAsync(visitor, accepted.StreamUrl);

        Assert.Equal("status", events[0].Type);
        Assert.Equal("1", events[0].Id);
        Assert.Equal("completed", events[^1].Type);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => i.ToString()), events.Select(e => e.Id));
        var streamed = string.Concat(events.Where(e => e.Type == "delta").Select(e => Json.Parse<DeltaData>(e.Data).Text));
        Assert.StartsWith(streamed, Json.Parse<JobResult>(events[^1].Data).Answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_visitor_cannot_see_the_job()
    {
        using var owner = app.CreateClient();
        using var stranger = app.CreateClient();
        var accepted = await ChatApi.AskAsync(owner, ChatApi.Landing, "What is CSS grid?");

        var response = await stranger.GetAsync(accepted.PollUrl);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_visitor_asking_where_to_start_is_pointed_to_the_beginner_course()
    {
        using var visitor = app.CreateClient();

        var accepted = await ChatApi.AskAsync(visitor, ChatApi.Landing, "Which course should a beginner start with?");
        var job = await ChatApi.WaitForTerminalAsync(visitor, accepted.PollUrl);

        Assert.StartsWith("Start with **HTML & CSS Foundations**", job.Result!.Answer);
        Assert.Contains(job.Result.Sources, s => s.Url == "/courses/html-css-foundations");
    }

    private sealed record DeltaData(string Text);
}
