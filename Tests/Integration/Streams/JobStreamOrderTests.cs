using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>A whole job stream, with real answers from the default Retrieval tutor.</summary>
public sealed class JobStreamOrderTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Events_are_numbered_from_one_and_start_with_pending()
    {
        using var visitor = app.CreateClient();
        var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, "How do I center an element with flexbox?");

        var events = await SseTestClient.ReadJobStreamAsync(visitor, job.StreamUrl);

        JobEvents.AssertConsecutiveIds(events, 1);
        Assert.Equal("status", events[0].Type);
        Assert.Equal(new StatusData("PENDING", 1), Json.Parse<StatusData>(events[0].Data));
        Assert.Contains(events, e => e.Type == "status" && Json.Parse<StatusData>(e.Data).Status == "PROCESSING");
    }

    [Fact]
    public async Task Deltas_after_the_last_status_join_to_the_start_of_the_completed_answer()
    {
        using var visitor = app.CreateClient();
        var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is the event loop in JavaScript?");

        var events = await SseTestClient.ReadJobStreamAsync(visitor, job.StreamUrl);

        var completed = JobEvents.Completed(events);
        Assert.NotEmpty(completed.Answer);
        // Here the tutor writes its whole answer at once: what was not flushed as a delta comes in completed only.
        Assert.StartsWith(JobEvents.Answer(events), completed.Answer, StringComparison.Ordinal);
        var polled = (await visitor.GetFromJsonAsync<PollBody>(job.PollUrl, Json.Options))!;
        Assert.Equal(polled.Result!.Answer, completed.Answer);
        Assert.Equal(polled.Result.Sources, completed.Sources);
    }

    [Fact]
    public async Task Completed_carries_completedAt_in_utc_with_microseconds()
    {
        using var visitor = app.CreateClient();
        var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What does position sticky do?");

        var events = await SseTestClient.ReadJobStreamAsync(visitor, job.StreamUrl);

        var completedAt = JobEvents.Completed(events).CompletedAt;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", completedAt);
        var polled = (await visitor.GetFromJsonAsync<PollBody>(job.PollUrl, Json.Options))!;
        Assert.Equal(polled.CompletedAt, DateTimeOffset.Parse(completedAt, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_server_closes_the_stream_after_the_terminal_event()
    {
        using var visitor = app.CreateClient();
        var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, "How do CSS variables work?");

        await using var stream = await LiveStream.OpenAsync(visitor, job.StreamUrl);
        var events = await stream.ReadToEndAsync();

        Assert.True(stream.Ended);
        Assert.Single(events, JobEvents.IsTerminal);
        Assert.True(JobEvents.IsTerminal(events[^1]));
    }
}
