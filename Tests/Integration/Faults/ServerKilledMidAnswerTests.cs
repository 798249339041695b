using System.Diagnostics;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Streams;
using Xunit.Abstractions;

namespace BlazorJobs.Tests.Integration.Faults;

/// <summary>
/// A server process SIGKILLed while its worker is mid-answer, then a new process on the same database:
/// the jobs are reclaimed when their leases expire and answered exactly once, and the final answer is
/// the last attempt's deltas only (the dead attempt's text is never joined to it).
/// </summary>
public sealed class ServerKilledMidAnswerTests(ITestOutputHelper output)
{
    private const int JobCount = 3;

    [Fact]
    public async Task Jobs_of_a_killed_server_are_answered_once_by_the_next_with_the_last_attempts_text_only()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var jobs = new List<(Accepted Job, string LastEventId)>();
        // Cookies are not bound to a port: the visitor of the first process is the same visitor on the next.
        var visitorCookies = new System.Net.CookieContainer();
        Stopwatch killed;
        // The first process answers in 20 parts over 20 s, the second in 10 parts: an answer mixing the two would show.
        await using (var doomed = await FaultServer.StartAsync(FaultServer.Settings(database, answerMs: 20_000, deltas: 20)))
        {
            using var visitor = doomed.CreateClient(visitorCookies);
            for (var i = 0; i < JobCount; i++)
            {
                var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, $"What is specificity? ({i})");
                await using var stream = await FaultSteps.OpenJobStreamAsync(visitor, job.StreamUrl);
                var delta = await FaultSteps.ReadUntilEventAsync(stream, "delta");
                jobs.Add((job, delta.Id!));
            }
            killed = Stopwatch.StartNew();
            await doomed.KillAsync();
        }

        await using var next = await FaultServer.StartAsync(FaultServer.Settings(database, answerMs: 1500, deltas: 10));
        using var resumed = next.CreateClient(visitorCookies);
        var expected = string.Concat(Enumerable.Range(1, 10).Select(i => $"part{i} "));
        foreach (var (job, lastEventId) in jobs)
        {
            // Resumed from the last event seen before the crash, as a client does; and read whole, from event 1.
            var fromLastSeen = await ReadToEndAsync(resumed, job.StreamUrl, lastEventId);
            var whole = await ReadToEndAsync(resumed, job.StreamUrl, lastEventId: null);

            Assert.Equal(expected, JobEvents.Completed(fromLastSeen).Answer);
            Assert.StartsWith(JobEvents.Answer(fromLastSeen), expected, StringComparison.Ordinal);
            JobEvents.AssertDeltasStartTheAnswer(whole);
            Assert.Equal(expected, JobEvents.Completed(whole).Answer);
            Assert.Contains(whole, e => e.Type == "status" && Json.Parse<StatusData>(e.Data) is { Status: "PROCESSING", Attempt: 2 });
        }
        var recovered = killed.Elapsed;

        (await JobLedger.ReadAsync(database)).AssertAllAnsweredOnce(JobCount, output, "Server SIGKILLed mid-answer", recovered, "all answered by the next process in");
    }

    private static async Task<List<ReceivedEvent>> ReadToEndAsync(HttpClient client, string streamUrl, string? lastEventId)
    {
        await using var stream = await RawStream.OpenAsync(client, streamUrl, lastEventId);
        return await FaultSteps.ReadEventsToEndAsync(stream);
    }
}
