using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace BlazorJobs.Server.Hosting;

/// <summary>
/// A private PostgreSQL cluster started from the machine's PostgreSQL binaries, so that
/// <c>dotnet run --project Server</c> works with nothing configured. Tests and benchmarks use it too.
/// </summary>
/// <remarks>
/// The cluster listens on a free port on 127.0.0.1 and on a socket in a private folder; the app
/// connects through the socket (trusted, because only its owner can reach the folder), TCP needs
/// the generated superuser password kept beside the data folder. <c>initdb</c> and <c>postgres</c>
/// refuse to run as root, so as root every binary runs as the <c>postgres</c> OS user and the data
/// folder must be one that user can reach (not under <c>/root</c>, which is mode 0700).
/// </remarks>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const string ServiceUser = "postgres";
    private const string Superuser = "blazorjobs";

    private readonly string _binDirectory;
    private readonly string _dataDirectory;
    private readonly string _socketDirectory;
    private readonly ILogger _logger;
    private bool _stopped;

    private EmbeddedPostgres(string binDirectory, string dataDirectory, string socketDirectory, int port, string database, ILogger logger)
    {
        _binDirectory = binDirectory;
        _dataDirectory = dataDirectory;
        _socketDirectory = socketDirectory;
        Port = port;
        _logger = logger;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = socketDirectory,
            Port = port,
            Username = Superuser,
            Database = database,
        }.ConnectionString;
    }

    public int Port { get; }

    public string DataDirectory => _dataDirectory;

    /// <summary>Connection string to the app's database, over the private socket.</summary>
    public string ConnectionString { get; }

    private static bool RunsAsRoot => Environment.IsPrivilegedProcess;

    /// <summary>The data folder used when none is configured.</summary>
    public static string DefaultDataDirectory() => RunsAsRoot
        ? "/var/lib/blazorjobs/postgres"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "blazorjobs", "postgres");

    /// <summary>Finds the folder holding initdb, pg_ctl and postgres, or null when PostgreSQL is not installed.</summary>
    public static string? FindBinDirectory(string? configured = null)
    {
        static bool HasServer(string? dir) => dir is not null && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));

        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasServer(configured) ? configured : null;
        }

        var candidates = new List<string>();
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            // Newest major version first: /usr/lib/postgresql/17/bin before /15/bin.
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }
        candidates.Add("/usr/local/pgsql/bin");
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(HasServer);
    }

    public static string MissingBinariesMessage =>
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found, so the embedded database cannot start. " +
        "Install them (Debian/Ubuntu: apt-get install -y postgresql) or set EmbeddedPostgres:BinDirectory, " +
        "or point the app at an existing server with ConnectionStrings:Default " +
        "(environment: ConnectionStrings__Default=\"Host=...;Database=...;Username=...;Password=...\").";

    /// <summary>Initialises the cluster if needed (reusing an existing data folder), starts it and creates the database.</summary>
    public static async Task<EmbeddedPostgres> StartAsync(EmbeddedPostgresOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        var bin = FindBinDirectory(options.BinDirectory) ?? throw new EmbeddedPostgresException(MissingBinariesMessage);
        var dataDirectory = Path.GetFullPath(options.DataDirectory ?? DefaultDataDirectory());
        var socketDirectory = Directory.CreateTempSubdirectory("bj-pg-").FullName;
        await GiveToServiceUserAsync(socketDirectory, cancellationToken);

        var port = FreeLoopbackPort();
        var server = new EmbeddedPostgres(bin, dataDirectory, socketDirectory, port, options.Database, logger);
        await server.InitialiseIfNeededAsync(cancellationToken);
        await server.StopLeftoverServerAsync(cancellationToken);
        await server.StartServerAsync(options.Settings, cancellationToken);
        await server.CreateDatabaseIfMissingAsync(options.Database, cancellationToken);
        return server;
    }

    private async Task InitialiseIfNeededAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(_dataDirectory, "PG_VERSION")))
        {
            _logger.LogInformation("Reusing the embedded PostgreSQL data folder {DataDirectory}", _dataDirectory);
            return;
        }

        Directory.CreateDirectory(_dataDirectory);
        await GiveToServiceUserAsync(_dataDirectory, cancellationToken);

        // The superuser's password only matters for TCP clients (psql -h 127.0.0.1, pgAdmin);
        // the app itself comes in through the private socket.
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var passwordFile = Path.Combine(_socketDirectory, "pwfile");
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
        await GiveToServiceUserAsync(passwordFile, cancellationToken);
        var credentialsFile = _dataDirectory.TrimEnd('/') + ".password";
        await File.WriteAllTextAsync(credentialsFile, $"user={Superuser} password={password}{Environment.NewLine}", cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(credentialsFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        _logger.LogInformation("Initialising the embedded PostgreSQL cluster in {DataDirectory}", _dataDirectory);
        await RunAsync("initdb", ["-D", _dataDirectory, "-U", Superuser, "--pwfile", passwordFile, "-E", "UTF8", "--no-locale",
            "--auth-local=trust", "--auth-host=scram-sha-256"], cancellationToken);
        File.Delete(passwordFile);
    }

    /// <summary>A previous run that was killed leaves its postmaster running on an unknown port: stop it first.</summary>
    private async Task StopLeftoverServerAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")))
        {
            return;
        }
        var status = await RunAsync("pg_ctl", ["-D", _dataDirectory, "status"], cancellationToken, throwOnError: false);
        if (status.ExitCode == 0)
        {
            _logger.LogWarning("Stopping a PostgreSQL left running on {DataDirectory} by an earlier run", _dataDirectory);
            await RunAsync("pg_ctl", ["-D", _dataDirectory, "-m", "fast", "-w", "stop"], cancellationToken, throwOnError: false);
        }
    }

    private async Task StartServerAsync(Dictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var serverOptions = new List<string>
        {
            $"-p {Port}", $"-k {_socketDirectory}", "-c listen_addresses=127.0.0.1",
            // pg_stat_statements lets tests and benchmarks count the statements a waiting stream costs.
            "-c shared_preload_libraries=pg_stat_statements",
            "-c max_connections=200",
        };
        serverOptions.AddRange(settings.Select(s => $"-c {s.Key}={s.Value}"));
        var logFile = Path.Combine(_dataDirectory, "server.log");
        await RunAsync("pg_ctl", ["-D", _dataDirectory, "-l", logFile, "-w", "-t", "60", "-o", string.Join(' ', serverOptions), "start"], cancellationToken);
        _logger.LogInformation("Embedded PostgreSQL listening on 127.0.0.1:{Port} and {SocketDirectory}", Port, _socketDirectory);
    }

    private async Task CreateDatabaseIfMissingAsync(string database, CancellationToken cancellationToken)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"")}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Stops the cluster (fast shutdown: open sessions are disconnected, data is flushed).</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        NpgsqlConnection.ClearAllPools();
        await RunAsync("pg_ctl", ["-D", _dataDirectory, "-m", "fast", "-w", "stop"], CancellationToken.None, throwOnError: false);
        try
        {
            Directory.Delete(_socketDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The folder is private and under the temp folder; a leftover is harmless.
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task GiveToServiceUserAsync(string path, CancellationToken cancellationToken)
    {
        if (!RunsAsRoot)
        {
            return;
        }
        await RunProcessAsync("chown", ["-R", $"{ServiceUser}:{ServiceUser}", path], cancellationToken, throwOnError: true);
        if (Directory.Exists(path) && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private Task<ProcessResult> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool throwOnError = true)
    {
        var executable = Path.Combine(_binDirectory, tool);
        return RunsAsRoot
            ? RunProcessAsync("runuser", ["-u", ServiceUser, "--", executable, .. arguments], cancellationToken, throwOnError)
            : RunProcessAsync(executable, arguments, cancellationToken, throwOnError);
    }

    private static async Task<ProcessResult> RunProcessAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool throwOnError)
    {
        var startInfo = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The postgres user cannot enter the caller's folder (often /root); start from one it can.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new EmbeddedPostgresException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var result = new ProcessResult(process.ExitCode, await stdout, await stderr);
        if (throwOnError && result.ExitCode != 0)
        {
            throw new EmbeddedPostgresException($"{Path.GetFileName(arguments.Count > 3 && file == "runuser" ? arguments[3] : file)} failed (exit {result.ExitCode}): {result.StandardError.Trim()} {result.StandardOutput.Trim()}");
        }
        return result;
    }

    private sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);
}

/// <summary>The embedded PostgreSQL could not be set up; the message says what to do.</summary>
public sealed class EmbeddedPostgresException(string message) : Exception(message);
