using System.Diagnostics;
using System.Net;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace BlazorJobs.Tests.Integration.Hosting;

/// <summary>
/// The embedded PostgreSQL is supervised: when its postmaster is killed, the instances sharing it start it
/// again by themselves (one of them: they take turns on the cluster's lock) and every job is answered once.
/// </summary>
// The embedded PostgreSQL runs from the machine's PostgreSQL binaries, on Linux (and macOS).
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EmbeddedSupervisionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Jobs = 8;

    private readonly string _root = Directory.CreateTempSubdirectory("bj-supervised-").FullName;

    private string DataDirectory => Path.Combine(_root, "data");

    [Fact]
    public async Task A_killed_postmaster_is_started_again_and_every_job_is_answered_exactly_once()
    {
        var worker = EmbeddedInstancesTests.EmbeddedSettings(DataDirectory, new Dictionary<string, string?>
        {
            ["Worker__Enabled"] = "true",
            ["Worker__SweepSeconds"] = "1",
            ["Jobs__LeaseSeconds"] = "3",
            ["Tutor__Provider"] = "Synthetic",
            ["Tutor__Synthetic__DurationMs"] = "1500",
            ["Tutor__Synthetic__Deltas"] = "10",
        });
        await using var first = await ServerProcess.StartAsync(ServerProcess.BuiltServerDll, ServerProcess.RepositoryRoot, worker);
        await using var second = await ServerProcess.StartAsync(ServerProcess.BuiltServerDll, ServerProcess.RepositoryRoot, EmbeddedInstancesTests.EmbeddedSettings(DataDirectory));
        using var visitor = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer() }) { BaseAddress = first.BaseAddress };
        using var other = new HttpClient { BaseAddress = second.BaseAddress };

        var enqueued = new List<Accepted>();
        for (var i = 0; i < Jobs; i++)
        {
            enqueued.Add(await ChatApi.AskAsync(visitor, ChatApi.Landing, $"How do I centre a div, take {i}?"));
        }
        await Eventually.HoldsAsync(async () => (await visitor.GetStringAsync(enqueued[0].PollUrl)).Contains("PROCESSING"), "the worker is answering");

        var postmaster = PostmasterPidFile.Read(DataDirectory)!;
        var downtime = Stopwatch.StartNew();
        Process.GetProcessById(postmaster.ProcessId).Kill();

        var firstBack = await HealthyAgainAsync(first, downtime);
        var secondBack = await HealthyAgainAsync(second, downtime);
        var answers = new List<PollBody>();
        foreach (var job in enqueued)
        {
            answers.Add(await ChatApi.WaitForTerminalAsync(visitor, job.PollUrl, TimeSpan.FromSeconds(120)));
        }
        var allAnswered = downtime.Elapsed;

        var restarted = PostmasterPidFile.Read(DataDirectory)!;
        await using var connection = new NpgsqlConnection(EmbeddedInstancesTests.AppDatabase(DataDirectory));
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM job_events WHERE type = 'completed' AND job_id = ANY($1)", connection)
        {
            Parameters = { new() { Value = enqueued.Select(j => j.JobId).ToArray() } },
        };
        var completedEvents = (long)(await count.ExecuteScalarAsync())!;
        output.WriteLine($"jobs enqueued {Jobs}, answered {answers.Count(a => a.Status == "COMPLETED")}, completed events {completedEvents} " +
                         $"(duplicated {completedEvents - Jobs}); healthy again after {firstBack.TotalSeconds:0.0} s (first) / " +
                         $"{secondBack.TotalSeconds:0.0} s (second); every job answered {allAnswered.TotalSeconds:0.0} s after the kill");

        Assert.NotEqual(postmaster.ProcessId, restarted.ProcessId);
        Assert.Equal(postmaster.Port, restarted.Port);
        Assert.All(answers, a => Assert.Equal("COMPLETED", a.Status));
        Assert.Equal(Jobs, completedEvents);
        Assert.Contains("Started the embedded PostgreSQL", first.Output + second.Output);
    }

    /// <summary>Time from the kill until the instance's <c>/health</c> answers 200 (database, listener and worker up).</summary>
    private static async Task<TimeSpan> HealthyAgainAsync(ServerProcess server, Stopwatch sinceKill)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        await Eventually.HoldsAsync(async () => (await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK,
            $"{server.BaseAddress} is healthy again", TimeSpan.FromSeconds(90));
        return sinceKill.Elapsed;
    }

    public Task InitializeAsync()
    {
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await EmbeddedInstancesTests.StopClusterAsync(DataDirectory);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: it lives under the temp folder.
        }
    }
}
