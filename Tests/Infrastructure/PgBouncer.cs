using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace BlazorJobs.Tests.Infrastructure;

/// <summary>
/// A real PgBouncer (Debian's package) in transaction mode in front of one test database, as managed
/// PostgreSQL offerings run it: its own ini, auth file and socket folder in a temporary folder, a free
/// port on 127.0.0.1, and fewer server connections than the app has clients, so transactions really
/// do share them. Stopped by its process id.
/// </summary>
public sealed class PgBouncer : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/pgbouncer";

    /// <summary>Server connections per database: well under the app's concurrent clients.</summary>
    public const int ServerConnections = 3;

    private const string Password = "pooler-test-password";
    private const string ServiceUser = "postgres";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _folder;
    private bool _disposed;

    private PgBouncer(Process process, string folder, int port, string connectionString)
    {
        _process = process;
        _folder = folder;
        Port = port;
        ConnectionString = connectionString;
    }

    public int Port { get; }

    /// <summary>The database, reached through the pooler (TCP, password checked by PgBouncer's auth file).</summary>
    public string ConnectionString { get; }

    /// <summary>Starts PgBouncer in front of the database <paramref name="databaseConnectionString"/> reaches over its socket.</summary>
    public static async Task<PgBouncer> StartAsync(string databaseConnectionString)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: install Debian's pgbouncer package (./test.sh does when it is missing).");
        }
        var database = new NpgsqlConnectionStringBuilder(databaseConnectionString);
        var folder = Directory.CreateTempSubdirectory("bj-pgbouncer-").FullName;
        var port = FreePort();
        Directory.CreateDirectory(Path.Combine(folder, "socket"));
        await File.WriteAllTextAsync(Path.Combine(folder, "userlist.txt"), $"\"{database.Username}\" \"{Password}\"\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "pgbouncer.ini"), Ini(folder, port, database));
        // PgBouncer refuses to run as root; as root it runs as the postgres user, which must own its folder.
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", ["-R", $"{ServiceUser}:{ServiceUser}", folder]);
        }

        // Quiet (-q): it logs to its own file, which a failed start reports, and not into the test run's output.
        var start = new ProcessStartInfo(Executable) { UseShellExecute = false, WorkingDirectory = folder, ArgumentList = { "-q" } };
        if (Environment.IsPrivilegedProcess)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(ServiceUser);
        }
        start.ArgumentList.Add(Path.Combine(folder, "pgbouncer.ini"));
        var process = Process.Start(start) ?? throw new InvalidOperationException("pgbouncer did not start.");

        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Database = database.Database,
            Username = database.Username,
            Password = Password,
        }.ConnectionString;
        var pooler = new PgBouncer(process, folder, port, connectionString);
        try
        {
            await pooler.WaitUntilAcceptingAsync();
        }
        catch
        {
            await pooler.DisposeAsync();
            throw;
        }
        return pooler;
    }

    /// <summary>
    /// The pooler's own count of transactions it has carried for the database (<c>SHOW STATS</c> on its
    /// admin console, read with psql as an operator would).
    /// </summary>
    public async Task<long> TransactionsCarriedAsync()
    {
        var database = new NpgsqlConnectionStringBuilder(ConnectionString);
        var output = await RunAsync("psql", ["-X", "-h", "127.0.0.1", "-p", Port.ToString(), "-U", database.Username!, "-d", "pgbouncer", "-A", "-F", "|", "-c", "SHOW STATS"],
            ("PGPASSWORD", Password));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var columns = lines[0].Split('|');
        var row = lines.Select(line => line.Split('|')).First(cells => cells[0] == database.Database);
        return long.Parse(row[Array.IndexOf(columns, "total_xact_count")]);
    }

    /// <summary>Stops the pooler (by its process id), as an outage would; the database behind it goes on.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await StopAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: it lives under the temp folder.
        }
    }

    private static string Ini(string folder, int port, NpgsqlConnectionStringBuilder database) =>
        $"""
        [databases]
        {database.Database} = host={database.Host} port={database.Port} dbname={database.Database}

        [pgbouncer]
        listen_addr = 127.0.0.1
        listen_port = {port}
        unix_socket_dir = {Path.Combine(folder, "socket")}
        auth_type = scram-sha-256
        auth_file = {Path.Combine(folder, "userlist.txt")}
        admin_users = {database.Username}
        pool_mode = transaction
        default_pool_size = {ServerConnections}
        max_client_conn = 500
        logfile = {Path.Combine(folder, "pgbouncer.log")}
        """;

    private async Task WaitUntilAcceptingAsync()
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"pgbouncer exited with {_process.ExitCode}: {Log()}");
            }
            try
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
                await connection.OpenAsync();
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private string Log()
    {
        var path = Path.Combine(_folder, "pgbouncer.log");
        return File.Exists(path) ? File.ReadAllText(path) : "(no log)";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> RunAsync(string file, string[] arguments, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {await error}");
        }
        return await output;
    }
}
