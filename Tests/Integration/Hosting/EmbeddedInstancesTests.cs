using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Tests.Infrastructure;
using Npgsql;

namespace BlazorJobs.Tests.Integration.Hosting;

/// <summary>
/// Servers started as a person starts them (<c>dotnet BlazorJobs.Server.dll</c>, no connection string) on
/// one embedded data folder: a second instance never takes the first one's database down, and the demo
/// logins printed at start stay valid for as long as the folder lives.
/// </summary>
// The embedded PostgreSQL runs from the machine's PostgreSQL binaries, on Linux (and macOS).
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class EmbeddedInstancesTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("bj-instances-").FullName;

    public EmbeddedInstancesTests()
    {
        // As root the cluster runs as the postgres OS user, which must be able to reach the data folder.
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
    }

    private string DataDirectory => Path.Combine(_root, "data");

    [Fact]
    public async Task A_second_instance_on_the_same_data_folder_shares_the_cluster_and_the_first_keeps_answering_with_its_logins()
    {
        await using var first = await StartAsync();
        var logins = await DemoLoginsAsync(first);
        using var firstClient = new HttpClient { BaseAddress = first.BaseAddress };
        await using var watch = HealthWatch.Start(firstClient);

        await using var second = await StartAsync();
        Assert.Contains("shared with the instance that started it", second.Output);
        Assert.Equal(logins, await DemoLoginsAsync(second));
        using var secondClient = new HttpClient { BaseAddress = second.BaseAddress };
        await AssertLoginsWorkAsync(firstClient, logins);
        await AssertLoginsWorkAsync(secondClient, logins);

        Assert.Equal(0, await second.StopAsync());
        await AssertLoginsWorkAsync(firstClient, logins);
        var probes = await watch.StopAsync();

        Assert.True(probes.Count >= 3, $"the first instance was probed throughout ({probes.Count} probes)");
        Assert.All(probes, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.True(File.Exists(PostmasterPidFile.PathIn(DataDirectory)), "the cluster outlives the instance that joined it");

        Assert.Equal(0, await first.StopAsync());
        Assert.False(File.Exists(PostmasterPidFile.PathIn(DataDirectory)), "the last instance out stops the cluster");
    }

    [Fact]
    public async Task After_every_instance_was_killed_the_next_start_recovers_the_cluster_and_keeps_the_printed_logins()
    {
        var killed = await StartAsync();
        IReadOnlyList<(string Email, string Password)> logins;
        try
        {
            await using var connection = new NpgsqlConnection(AppDatabase(DataDirectory));
            await connection.OpenAsync();
            await using var write = new NpgsqlCommand("CREATE TABLE survived_the_kill (n int); INSERT INTO survived_the_kill VALUES (42)", connection);
            await write.ExecuteNonQueryAsync();
            logins = await DemoLoginsAsync(killed);
        }
        finally
        {
            await killed.DisposeAsync(); // SIGKILL: its postmaster keeps running, held by no one
        }
        Assert.True(File.Exists(PostmasterPidFile.PathIn(DataDirectory)), "the killed instance left its cluster running");

        await using var next = await StartAsync();
        using var client = new HttpClient { BaseAddress = next.BaseAddress };

        Assert.DoesNotContain("shared with the instance that started it", next.Output);
        Assert.Equal(logins, await DemoLoginsAsync(next));
        await AssertLoginsWorkAsync(client, logins);
        await using var reopened = new NpgsqlConnection(AppDatabase(DataDirectory));
        await reopened.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT n FROM survived_the_kill", reopened);
        Assert.Equal(42, await read.ExecuteScalarAsync());

        Assert.Equal(0, await next.StopAsync());
        Assert.False(File.Exists(PostmasterPidFile.PathIn(DataDirectory)));
    }

    private Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string?>? settings = null) =>
        ServerProcess.StartAsync(ServerProcess.BuiltServerDll, ServerProcess.RepositoryRoot, EmbeddedSettings(DataDirectory, settings));

    internal static IReadOnlyDictionary<string, string?> EmbeddedSettings(string dataDirectory, IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Default"] = null,
            ["EmbeddedPostgres__DataDirectory"] = dataDirectory,
            ["EmbeddedPostgres__Settings__fsync"] = "off",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>The app's database on the folder's running cluster, as its postmaster announces it.</summary>
    internal static string AppDatabase(string dataDirectory)
    {
        var running = PostmasterPidFile.Read(dataDirectory) ?? throw new InvalidOperationException("No cluster runs on " + dataDirectory);
        return new NpgsqlConnectionStringBuilder { Host = running.SocketDirectory, Port = running.Port, Username = "blazorjobs", Database = "blazorjobs", Pooling = false }.ConnectionString;
    }

    /// <summary>
    /// The two demo logins of the start-up banner. The banner's lines arrive one by one and the start
    /// completes at its address line, so the login lines below it may still be on their way.
    /// </summary>
    internal static async Task<IReadOnlyList<(string Email, string Password)>> DemoLoginsAsync(ServerProcess server)
    {
        List<(string, string)> Read() => [.. DemoLoginLine().Matches(server.Output).Select(m => (m.Groups[1].Value, m.Groups[2].Value))];
        await Eventually.HoldsAsync(() => Read().Count >= 2, "the banner's two demo logins", TimeSpan.FromSeconds(10));
        var logins = Read();
        Assert.Equal(2, logins.Count);
        return logins;
    }

    private static async Task AssertLoginsWorkAsync(HttpClient client, IReadOnlyList<(string Email, string Password)> logins)
    {
        foreach (var (email, password) in logins)
        {
            var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{email} signs in with the printed password on {client.BaseAddress}: {(int)response.StatusCode}");
        }
    }

    [GeneratedRegex(@"Demo login: (\S+) / (\S+)")]
    private static partial Regex DemoLoginLine();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await StopClusterAsync(DataDirectory);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: it lives under the temp folder.
        }
    }

    /// <summary>A failed test may leave a cluster behind (a killed server does not stop it).</summary>
    internal static async Task StopClusterAsync(string dataDirectory)
    {
        if (File.Exists(PostmasterPidFile.PathIn(dataDirectory)))
        {
            await new PostgresTools(EmbeddedPostgres.FindBinDirectory()!).RunAsync("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None, throwOnError: false);
        }
    }

    /// <summary>Asks one instance's <c>/health</c> over and over until stopped, recording every status.</summary>
    private sealed class HealthWatch : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<HttpStatusCode> _statuses = [];
        private readonly Task _loop;

        private HealthWatch(HttpClient client) => _loop = LoopAsync(client);

        public static HealthWatch Start(HttpClient client) => new(client);

        private async Task LoopAsync(HttpClient client)
        {
            while (!_stop.IsCancellationRequested)
            {
                using var response = await client.GetAsync("/health", CancellationToken.None);
                lock (_statuses)
                {
                    _statuses.Add(response.StatusCode);
                }
                await Task.WhenAny(Task.Delay(100, _stop.Token));
            }
        }

        public async Task<IReadOnlyList<HttpStatusCode>> StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            lock (_statuses)
            {
                return [.. _statuses];
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop.ContinueWith(_ => { });
            _stop.Dispose();
        }
    }
}
