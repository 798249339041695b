using BlazorJobs.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorJobs.Tests.Browser;

/// <summary>SSE for everyone and a Synthetic tutor that takes 8 s over 40 pieces: long enough to leave mid-answer.</summary>
public sealed class SlowAnswerBrowserApp() : SyntheticTutorBrowserApp(deltas: 40, durationMs: 8000)
{
    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings => [new("Delivery:DefaultMode", "sse")];
}

/// <summary>
/// A page that goes away mid-answer (a reload, or a circuit that could not reconnect, which reloads) comes
/// back to the same answer: the history's pending job, resumed from its <c>Last-Event-ID</c>, with no gap
/// and nothing twice.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ResumeBrowserTests(SlowAnswerBrowserApp app) : IClassFixture<SlowAnswerBrowserApp>
{
    [Fact]
    public async Task Reloading_mid_answer_resumes_the_stream_from_the_last_event_and_the_answer_arrives_whole_once()
    {
        var page = await app.NewPageAsync();
        var log = new RequestLog(page);
        await ChatPage.SignInAsNewLearnerAsync(page, app, $"/courses/{ChatPage.CourseSlug}");
        const string question = "Why does my flex item overflow its container?";
        var enqueue = await page.RunAndWaitForResponseAsync(
            () => ChatPage.AskAsync(page, question),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/api/assistant/query");
        var job = Json.Parse<Accepted>(await enqueue.TextAsync());
        await Expect(page.Locator(".chat-turn[data-state=streaming] .chat-markdown")).ToContainTextAsync("part3");

        await page.ReloadAsync();

        var answer = ChatPage.Completed(page, question).Locator(".chat-answer");
        await Expect(answer).ToHaveTextAsync(app.FullAnswer, new() { Timeout = 30_000 });
        await Expect(page.Locator(".chat-turn")).ToHaveCountAsync(1);
        var streams = log.To($"/api/assistant/stream/{job.JobId}");
        Assert.True(streams.Count >= 2, $"the reloaded page opened the job's stream again ({streams.Count} stream requests)");
        var resumedFrom = (await streams[^1].AllHeadersAsync()).GetValueOrDefault("last-event-id");
        // The history's resume point is just before the current attempt's status event, so the replay
        // brings back the text streamed before the reload and the live rest follows, joined exactly once.
        Assert.True(int.TryParse(resumedFrom, out var lastEventId) && lastEventId >= 1,
            $"the reloaded page resumed the job's stream with a Last-Event-ID (got '{resumedFrom}')");
        await page.Context.CloseAsync();
    }
}
