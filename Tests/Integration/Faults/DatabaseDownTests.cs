using System.Diagnostics;
using System.Net;
using BlazorJobs.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BlazorJobs.Tests.Integration.Faults;

/// <summary>
/// PostgreSQL down, then back: requests answer 503 with Retry-After, <c>/alive</c> stays 200, job streams
/// opened before the outage wait through it and end with <c>completed</c>, and the server recovers by
/// itself (no restart) when the database returns.
/// </summary>
public sealed class DatabaseDownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task While_postgres_is_down_requests_are_503_and_once_it_is_back_every_job_is_answered_once()
    {
        await using var cluster = await FaultCluster.StartAsync();
        var database = await cluster.CreateDatabaseAsync("faults");
        await using var server = await FaultServer.StartAsync(FaultServer.Settings(database, answerMs: 3000, deltas: 10));
        using var visitor = server.CreateClient();
        var first = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is a grid track?");
        var second = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is a grid area?");
        await using var firstStream = await FaultSteps.OpenJobStreamAsync(visitor, first.StreamUrl);
        await using var secondStream = await FaultSteps.OpenJobStreamAsync(visitor, second.StreamUrl);

        var outage = Stopwatch.StartNew();
        await cluster.StopAsync();
        var enqueue = await Eventually.ReturnsAsync(
            () => visitor.PostAsync($"{ChatApi.Landing}/query", JsonContent("What is subgrid?")),
            r => r.StatusCode != HttpStatusCode.Accepted,
            "an enqueue to be refused while the database is down");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, enqueue.StatusCode);
        Assert.NotNull(enqueue.Headers.RetryAfter);
        var poll = await visitor.GetAsync(first.PollUrl);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, poll.StatusCode);
        Assert.NotNull(poll.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/alive")).StatusCode);
        await cluster.StartAgainAsync();

        var third = await FaultSteps.AskWhenAcceptedAsync(visitor, ChatApi.Landing, "What is subgrid?");
        var recovered = outage.Elapsed;
        Assert.Equal("completed", (await FaultSteps.ReadEventsToEndAsync(firstStream))[^1].Type);
        Assert.Equal("completed", (await FaultSteps.ReadEventsToEndAsync(secondStream))[^1].Type);
        Assert.Equal("COMPLETED", (await ChatApi.WaitForTerminalAsync(visitor, third.PollUrl, TimeSpan.FromSeconds(60))).Status);

        (await JobLedger.ReadAsync(database)).AssertAllAnsweredOnce(3, output, "PostgreSQL down, then back", recovered);
    }

    private static StringContent JsonContent(string question) =>
        new(System.Text.Json.JsonSerializer.Serialize(new { question }), System.Text.Encoding.UTF8, "application/json");
}
