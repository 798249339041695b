using System.Diagnostics;
using BlazorJobs.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BlazorJobs.Tests.Integration.Faults;

/// <summary>
/// Two server processes on one database: questions asked on A (which runs no worker) are answered by
/// B's worker, and A's streams carry the answers, pushed through PostgreSQL's NOTIFY to A's listener.
/// </summary>
public sealed class TwoInstancesOneDatabaseTests(ITestOutputHelper output)
{
    private const int JobCount = 5;

    [Fact]
    public async Task Jobs_asked_and_streamed_on_one_instance_are_answered_once_by_the_other()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var front = await FaultServer.StartAsync(new Dictionary<string, string>(FaultServer.Settings(database, answerMs: 1500)) { ["Worker__Enabled"] = "false" });
        await using var back = await FaultServer.StartAsync(FaultServer.Settings(database, answerMs: 1500));
        using var visitor = front.CreateClient();

        var started = Stopwatch.StartNew();
        var streams = new List<Streams.RawStream>();
        try
        {
            for (var i = 0; i < JobCount; i++)
            {
                var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, $"What is the box model? ({i})");
                streams.Add(await FaultSteps.OpenJobStreamAsync(visitor, job.StreamUrl));
            }
            var streamed = await Task.WhenAll(streams.Select(FaultSteps.ReadEventsToEndAsync));
            Assert.All(streamed, events => Assert.Equal("completed", events[^1].Type));
            Assert.All(streamed, FaultSteps.AssertEndsWithItsAnswer);
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }

        (await JobLedger.ReadAsync(database)).AssertAllAnsweredOnce(JobCount, output, "Two instances on one database", started.Elapsed, "all answered in");
    }
}
