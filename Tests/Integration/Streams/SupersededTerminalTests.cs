using System.Diagnostics;
using System.Net;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>
/// Issue 10, case 2 (api.md, "Cancel and retry"): a retry keeps the job's id and stored events, and its
/// stream "continues with new events". A <c>cancelled</c> or <c>failed</c> that a later attempt
/// superseded is therefore not sent: a stream read from event 1, or resumed from the old terminal
/// event, ends with the final attempt's answer, for the module and for plain WHATWG clients alike.
/// </summary>
public sealed class SupersededTerminalTests(StreamingJobsFixture app) : IClassFixture<StreamingJobsFixture>
{
    [Fact]
    public async Task A_stream_read_from_the_start_after_cancel_and_retry_skips_the_old_cancelled_and_ends_with_the_answer()
    {
        using var visitor = app.CreateClient();
        var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is a stacking context?");
        Assert.Equal(HttpStatusCode.Accepted, (await visitor.PostAsync($"{job.PollUrl}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await visitor.PostAsync($"{job.PollUrl}/retry", null)).StatusCode);
        await ChatApi.WaitForTerminalAsync(visitor, job.PollUrl);

        var events = await SseTestClient.ReadJobStreamAsync(visitor, job.StreamUrl);

        AssertFinalAttemptAnswered(events, attempt: 2);
    }

    [Fact]
    public async Task A_stream_resumed_from_the_superseded_cancelled_event_continues_to_the_final_answer()
    {
        using var visitor = app.CreateClient();
        var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is z-index?");
        await visitor.PostAsync($"{job.PollUrl}/cancel", null);
        var cancelled = (await SseTestClient.ReadJobStreamAsync(visitor, job.StreamUrl))[^1];
        Assert.Equal("cancelled", cancelled.Type);
        await visitor.PostAsync($"{job.PollUrl}/retry", null);

        var events = await SseTestClient.ReadJobStreamAsync(visitor, job.StreamUrl, lastEventId: cancelled.Id);

        Assert.Equal(JobEvents.IdOf(cancelled) + 1, JobEvents.IdOf(events[0]));
        Assert.Equal(new StatusData("PENDING", 2), Json.Parse<StatusData>(events[0].Data));
        AssertFinalAttemptAnswered(events, attempt: 2);
    }

    [Fact]
    public async Task The_npm_eventsource_client_opened_after_cancel_and_retry_receives_the_final_answer_and_stops()
    {
        using var learner = await app.CreateNewLearnerClientAsync();
        var job = await ChatApi.AskAsync(learner, ChatApi.Tutor, "What is a block formatting context?");
        await learner.PostAsync($"{job.PollUrl}/cancel", null);
        await learner.PostAsync($"{job.PollUrl}/retry", null);

        var (exitCode, events) = await ReadWithNpmEventSourceAsync(
            new Uri(app.BaseAddress, job.StreamUrl), $"Authorization: {learner.DefaultRequestHeaders.Authorization}");

        Assert.Equal(0, exitCode);
        AssertFinalAttemptAnswered(events, attempt: 2);
    }

    internal static void AssertFinalAttemptAnswered(IReadOnlyList<ReceivedEvent> events, int attempt)
    {
        Assert.DoesNotContain(events, e => e.Type is "cancelled" or "failed");
        Assert.Contains(events, e => e.Type == "status" && Json.Parse<StatusData>(e.Data).Attempt == attempt);
        JobEvents.AssertDeltasStartTheAnswer(events);
        var ids = events.Select(JobEvents.IdOf).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Distinct().Count(), ids.Count);
    }

    /// <summary>Runs Tests/js/clients/read-job-with-eventsource.mjs: the npm <c>eventsource</c> package, as a WHATWG client.</summary>
    /// <param name="credentialsHeader">The caller's credentials as one header line (<c>Authorization: Bearer …</c> or <c>Cookie: …</c>).</param>
    internal static async Task<(int ExitCode, List<ReceivedEvent> Events)> ReadWithNpmEventSourceAsync(Uri streamUrl, string credentialsHeader)
    {
        var jsFolder = Path.Combine(FindRepositoryRoot(), "Tests", "js");
        Assert.True(Directory.Exists(Path.Combine(jsFolder, "node_modules", "eventsource")),
            "Tests/js/node_modules is missing: run `npm ci` in Tests/js (test.sh does).");
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(jsFolder, "clients", "read-job-with-eventsource.mjs"));
        info.ArgumentList.Add(streamUrl.ToString());
        info.ArgumentList.Add(credentialsHeader);
        using var node = Process.Start(info)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        var events = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => Json.Parse<NodeEvent>(line))
            .Select(e => new ReceivedEvent(e.Type, e.Data, string.IsNullOrEmpty(e.Id) ? null : e.Id))
            .ToList();
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}: {await stderr}");
        return (node.ExitCode, events);
    }

    private sealed record NodeEvent(string Type, string Data, string Id);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BlazorJobs.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("No BlazorJobs.sln above the test binaries.");
    }
}

/// <summary>The Synthetic tutor fails every second job for good, so a test gets a <c>failed</c> job and a retry that succeeds.</summary>
public sealed class EverySecondJobFailsFixture() : ConfiguredAppFixture([.. Synthetic(300, 3), ("Tutor:Synthetic:FailEvery", "2")]);

/// <summary>The same rule after <c>failed</c> → retry, for the raw reader and the npm <c>eventsource</c> client.</summary>
public sealed class SupersededFailureTests(EverySecondJobFailsFixture app) : IClassFixture<EverySecondJobFailsFixture>
{
    [Fact]
    public async Task After_failed_and_retry_a_stream_from_the_start_ends_with_the_final_attempts_answer()
    {
        var cookies = new CookieContainer();
        using var visitor = app.CreateClient(cookies: cookies);
        var answered = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is a float?");
        Assert.Equal("COMPLETED", (await ChatApi.WaitForTerminalAsync(visitor, answered.PollUrl)).Status);
        var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is clear: both?");
        Assert.Equal("FAILED", (await ChatApi.WaitForTerminalAsync(visitor, job.PollUrl)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await visitor.PostAsync($"{job.PollUrl}/retry", null)).StatusCode);
        Assert.Equal("COMPLETED", (await ChatApi.WaitForTerminalAsync(visitor, job.PollUrl)).Status);

        var raw = await SseTestClient.ReadJobStreamAsync(visitor, job.StreamUrl);
        var (_, npm) = await SupersededTerminalTests.ReadWithNpmEventSourceAsync(new Uri(app.BaseAddress, job.StreamUrl), $"Cookie: {cookies.GetCookieHeader(app.BaseAddress)}");

        SupersededTerminalTests.AssertFinalAttemptAnswered(raw, attempt: 2);
        Assert.Equal(raw, npm);
    }
}
