using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BlazorJobs.Server.Hosting;
using Npgsql;

namespace BlazorJobs.Tests.Integration.Faults;

/// <summary>
/// A PostgreSQL cluster that one fault test owns, so it can be restarted, stopped and started again
/// under a running server without disturbing the shared test cluster. Trust authentication on
/// 127.0.0.1 only; as root, it runs as the <c>postgres</c> OS user, like the embedded one.
/// </summary>
internal sealed class FaultCluster : IAsyncDisposable
{
    private const string ServiceUser = "postgres";
    private readonly string _bin;
    private readonly string _root;
    private readonly string _data;
    private readonly int _port;

    private FaultCluster(string bin, string root, int port)
    {
        _bin = bin;
        _root = root;
        _data = Path.Combine(root, "data");
        _port = port;
    }

    /// <summary>A connection string to a database of this cluster (created by <see cref="CreateDatabaseAsync"/>).</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _port,
        Username = "postgres",
        Database = database,
    }.ConnectionString;

    public static async Task<FaultCluster> StartAsync()
    {
        var bin = EmbeddedPostgres.FindBinDirectory() ?? throw new InvalidOperationException(EmbeddedPostgres.MissingBinariesMessage);
        var root = Directory.CreateTempSubdirectory("bj-faults-").FullName;
        var cluster = new FaultCluster(bin, root, FreeLoopbackPort());
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", ["-R", $"{ServiceUser}:{ServiceUser}", root]);
        }
        await cluster.PgAsync("initdb", ["-D", cluster._data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"]);
        await cluster.StartAgainAsync();
        return cluster;
    }

    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary><c>pg_ctl restart -m fast</c>: every session is disconnected, the server is back when this returns.</summary>
    public Task RestartAsync() => PgAsync("pg_ctl", ["-D", _data, "-m", "fast", "-w", "-t", "60", "restart"]);

    /// <summary>Stops the server (fast: sessions are disconnected).</summary>
    public Task StopAsync() => PgAsync("pg_ctl", ["-D", _data, "-m", "fast", "-w", "-t", "60", "stop"]);

    /// <summary>Starts the server again on the same port.</summary>
    public Task StartAgainAsync() => PgAsync("pg_ctl",
    [
        "-D", _data, "-l", Path.Combine(_data, "server.log"), "-w", "-t", "60",
        "-o", $"-p {_port} -k {_data} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
        "start",
    ]);

    public async ValueTask DisposeAsync()
    {
        await PgAsync("pg_ctl", ["-D", _data, "-m", "immediate", "-w", "stop"], throwOnError: false);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Under the temp folder: best effort.
        }
    }

    private Task PgAsync(string tool, IReadOnlyList<string> arguments, bool throwOnError = true)
    {
        var executable = Path.Combine(_bin, tool);
        return Environment.IsPrivilegedProcess
            ? RunAsync("runuser", ["-u", ServiceUser, "--", executable, .. arguments], throwOnError)
            : RunAsync(executable, arguments, throwOnError);
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool throwOnError = true)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The postgres user cannot enter the test runner's folder.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (throwOnError && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr} {await stdout}");
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
