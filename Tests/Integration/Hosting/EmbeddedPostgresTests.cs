using System.Net.Sockets;
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
