using System.Net.Sockets;
using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace BlazorJobs.Tests.Integration.Hosting;

/// <summary>The starter the app uses with no connection string: each test runs its own extra cluster in a temp folder.</summary>
public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bj-embedded-").FullName;

    public EmbeddedPostgresTests()
    {
        if (!OperatingSystem.IsWindows())
        {
            // As root the binaries run as the postgres OS user, which must be able to reach the data folder.
            File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        }
    }

    private EmbeddedPostgresOptions Options => new()
    {
        DataDirectory = Path.Combine(_root, "data"),
        Database = "bj_embedded",
        Settings = { ["fsync"] = "off" },
    };

    [Fact]
    public async Task It_starts_in_a_fresh_folder_reuses_it_on_the_next_start_and_stops()
    {
        var first = await EmbeddedPostgres.StartAsync(Options, NullLogger.Instance);
        await ExecuteAsync(first, "CREATE TABLE survivors (name text); INSERT INTO survivors VALUES ('kept across restarts')");
        await first.StopAsync();

        Assert.True(File.Exists(Path.Combine(Options.DataDirectory!, "PG_VERSION")), "the cluster was initialised in the configured folder");
        Assert.False(await AcceptsConnectionsAsync(first.Port), "a stopped cluster no longer accepts connections");

        var second = await EmbeddedPostgres.StartAsync(Options, NullLogger.Instance);
        try
        {
            Assert.Equal(first.DataDirectory, second.DataDirectory);
            Assert.True(await AcceptsConnectionsAsync(second.Port));
            Assert.Equal("kept across restarts", await ExecuteAsync(second, "SELECT name FROM survivors"));
        }
        finally
        {
            await second.StopAsync();
        }
        Assert.False(await AcceptsConnectionsAsync(second.Port));
    }

    [Fact]
    public async Task A_second_start_on_a_running_folder_joins_the_cluster_and_only_the_last_one_out_stops_it()
    {
        var first = await EmbeddedPostgres.StartAsync(Options, NullLogger.Instance);
        await using var firstStop = first;
        await ExecuteAsync(first, "CREATE TABLE shared (name text); INSERT INTO shared VALUES ('written by the first')");

        var second = await EmbeddedPostgres.StartAsync(Options, NullLogger.Instance);
        await using var secondStop = second;

        Assert.False(first.JoinedRunningCluster);
        Assert.True(second.JoinedRunningCluster, "the second instance joins the running cluster instead of stopping it");
        Assert.Equal(first.Port, second.Port);
        Assert.Equal("written by the first", await ExecuteAsync(first, "SELECT name FROM shared"));
        Assert.Equal("written by the first", await ExecuteAsync(second, "SELECT name FROM shared"));

        await first.StopAsync();
        Assert.Equal("written by the first", await ExecuteAsync(second, "SELECT name FROM shared"));

        await second.StopAsync();
        Assert.False(await AcceptsConnectionsAsync(second.Port), "the last instance out stops the cluster");
    }

    [Fact]
    public async Task Two_instances_starting_on_an_empty_folder_at_once_initialise_one_cluster_and_share_it()
    {
        var both = await Task.WhenAll(EmbeddedPostgres.StartAsync(Options, NullLogger.Instance), EmbeddedPostgres.StartAsync(Options, NullLogger.Instance));
        try
        {
            Assert.Single(both, server => server.JoinedRunningCluster);
            Assert.Equal(both[0].Port, both[1].Port);
            await ExecuteAsync(both[0], "CREATE TABLE seen_by_both (n int)");
            Assert.Equal(0L, await ExecuteAsync(both[1], "SELECT count(*) FROM seen_by_both"));
        }
        finally
        {
            await both[0].StopAsync();
            await both[1].StopAsync();
        }
        Assert.False(await AcceptsConnectionsAsync(both[0].Port));
    }

    [Fact]
    public async Task A_cluster_running_with_no_live_instance_is_stopped_and_started_afresh()
    {
        // A postmaster nobody holds a lease on: what instances that were all killed leave behind.
        var first = await EmbeddedPostgres.StartAsync(Options, NullLogger.Instance);
        await ExecuteAsync(first, "CREATE TABLE left_over (name text); INSERT INTO left_over VALUES ('kept')");
        await first.StopAsync();
        var orphanSockets = Directory.CreateTempSubdirectory("bj-orphan-").FullName;
        await PostgresTools.GiveToServiceUserAsync(orphanSockets, CancellationToken.None);
        var orphanPort = FreePort();
        await new PostgresTools(EmbeddedPostgres.FindBinDirectory()!).RunAsync("pg_ctl",
            ["-D", Options.DataDirectory!, "-w", "-l", Path.Combine(Options.DataDirectory!, "orphan.log"), "-o", $"-p {orphanPort} -k {orphanSockets} -c listen_addresses=127.0.0.1", "start"],
            CancellationToken.None);
        Assert.True(await AcceptsConnectionsAsync(orphanPort));

        var next = await EmbeddedPostgres.StartAsync(Options, NullLogger.Instance);
        try
        {
            Assert.False(next.JoinedRunningCluster, "nobody uses the left-over cluster, so it is started afresh");
            Assert.False(await AcceptsConnectionsAsync(orphanPort), "the left-over postmaster was stopped");
            Assert.Equal("kept", await ExecuteAsync(next, "SELECT name FROM left_over"));
        }
        finally
        {
            await next.StopAsync();
            Directory.Delete(orphanSockets, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Demo_passwords_are_generated_once_per_data_folder_and_readable_by_the_app_user_only()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "demo")).FullName;
        var draws = 0;
        string Generate() => $"Demo-draw-{++draws}";

        var first = await DemoPasswordFile.LoadOrCreateAsync(folder, Generate);
        var again = await DemoPasswordFile.LoadOrCreateAsync(folder, Generate);

        Assert.Equal(first, again);
        Assert.NotEqual(first.Learner, first.Admin);
        Assert.Equal(2, draws);
        var file = Path.Combine(folder, DemoPasswordFile.FileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task A_folder_without_PostgreSQL_binaries_fails_with_a_message_that_says_what_to_do()
    {
        var options = Options;
        options.BinDirectory = Directory.CreateDirectory(Path.Combine(_root, "empty-bin")).FullName;

        var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(() => EmbeddedPostgres.StartAsync(options, NullLogger.Instance));

        Assert.Contains("apt-get install -y postgresql", error.Message);
        Assert.Contains("EmbeddedPostgres:BinDirectory", error.Message);
        Assert.Contains("ConnectionStrings:Default", error.Message);
        Assert.False(Directory.Exists(options.DataDirectory), "nothing is created when the binaries are missing");
    }

    private static async Task<object?> ExecuteAsync(EmbeddedPostgres server, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
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
