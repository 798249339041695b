using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace BlazorJobs.Server.Hosting;

/// <summary>
/// A private PostgreSQL cluster started from the machine's PostgreSQL binaries, so that
/// <c>dotnet run --project Server</c> works with nothing configured. Tests and benchmarks use it too.
/// </summary>
/// <remarks>
/// The cluster listens on a free port on 127.0.0.1 and on a socket in a private folder; the app
/// connects through the socket (trusted, because only its owner can reach the folder), TCP needs
/// the generated superuser password kept beside the data folder. As root, the binaries run as the
/// <c>postgres</c> OS user (<see cref="PostgresTools"/>), so the data folder must be one that user can
/// reach (not under <c>/root</c>, which is mode 0700).
/// <para>
/// Instances given the same data folder share one cluster: the first starts it, the next join it
/// (port and socket from its <c>postmaster.pid</c>), each holds an <see cref="InstanceLease"/> while it
/// runs, and only the last one out stops it. A cluster still running with no live lease was left by
/// instances that died, and is stopped and started afresh. Every change of state happens under the
/// <see cref="ClusterControlLock"/>; <see cref="EmbeddedPostgresSupervisor"/> starts a postmaster that died.
/// </para>
/// </remarks>
public sealed partial class EmbeddedPostgres : IAsyncDisposable
{
    private const string Superuser = "blazorjobs";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly PostgresTools _tools;
    private readonly EmbeddedPostgresOptions _options;
    private readonly string _socketDirectory;
    private ILogger _logger;
    private InstanceLease? _lease;
    private bool _stopped;

    private EmbeddedPostgres(PostgresTools tools, EmbeddedPostgresOptions options, string dataDirectory, string socketDirectory, int port, bool joined, ILogger logger)
    {
        _tools = tools;
        _options = options;
        DataDirectory = dataDirectory;
        _socketDirectory = socketDirectory;
        Port = port;
        JoinedRunningCluster = joined;
        _logger = logger;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = socketDirectory,
            Port = port,
            Username = Superuser,
            Database = options.Database,
        }.ConnectionString;
    }

    public int Port { get; }

    public string DataDirectory { get; }

    /// <summary>True when another instance had started the cluster and this one joined it.</summary>
    public bool JoinedRunningCluster { get; }

    /// <summary>Connection string to the app's database, over the private socket.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// The start-up logger's factory is gone once the host is built; what this class logs later (a restart,
    /// the last one out) goes to the host's logging instead.
    /// </summary>
    internal void UseLogger(ILogger logger) => _logger = logger;

    internal TimeSpan ControlLockTimeout => TimeSpan.FromSeconds(_options.ControlLockTimeoutSeconds);

    /// <summary>
    /// Initialises the cluster if needed (reusing an existing data folder), then joins it when another live
    /// instance runs it, or starts it; creates the database.
    /// </summary>
    public static async Task<EmbeddedPostgres> StartAsync(EmbeddedPostgresOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        try
        {
            Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        }
        catch (ValidationException ex)
        {
            throw new EmbeddedPostgresException($"EmbeddedPostgres settings are invalid: {ex.Message}");
        }
        var tools = new PostgresTools(FindBinDirectory(options.BinDirectory) ?? throw new EmbeddedPostgresException(MissingBinariesMessage));
        var dataDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.DataDirectory ?? DefaultDataDirectory()));

        using var control = await ClusterControlLock.AcquireAsync(dataDirectory, TimeSpan.FromSeconds(options.ControlLockTimeoutSeconds), cancellationToken);
        await EmbeddedClusterInitializer.InitialiseIfNeededAsync(tools, dataDirectory, Superuser, logger, cancellationToken);
        var server = await JoinRunningClusterAsync(tools, options, dataDirectory, logger, cancellationToken)
                     ?? await StartClusterAsync(tools, options, dataDirectory, logger, cancellationToken);
        server._lease = InstanceLease.Take(dataDirectory);
        try
        {
            await server.CreateDatabaseIfMissingAsync(cancellationToken);
        }
        catch
        {
            server._stopped = true;
            await server.LeaveClusterAsync();
            throw;
        }
        return server;
    }

    /// <summary>The running cluster of another live instance, joined; null when none runs (a left-over one is stopped first).</summary>
    private static async Task<EmbeddedPostgres?> JoinRunningClusterAsync(PostgresTools tools, EmbeddedPostgresOptions options, string dataDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        if (!await tools.IsServerRunningAsync(dataDirectory, cancellationToken))
        {
            return null;
        }
        var running = PostmasterPidFile.Read(dataDirectory);
        var owners = InstanceLease.CountOthersAlive(dataDirectory, own: null);
        if (owners > 0 && running is null)
        {
            // Never stopped while another instance uses it, even when where it listens cannot be read.
            throw new EmbeddedPostgresException(
                $"The embedded PostgreSQL in {dataDirectory} is in use by {owners} other BlazorJobs instance(s), but its postmaster.pid " +
                "does not say where it listens. Give this instance a folder of its own with EmbeddedPostgres:DataDirectory " +
                "(environment: EmbeddedPostgres__DataDirectory=/some/other/folder).");
        }
        if (owners == 0)
        {
            // Every instance that used it is gone (their leases are free): a leftover of a killed run, on a
            // port nobody knows any more. Started afresh, it gets this run's settings and a socket folder.
            LogStoppingLeftover(logger, dataDirectory);
            await tools.RunAsync("pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "stop"], cancellationToken, throwOnError: false);
            if (running is not null)
            {
                DeleteSocketDirectory(running.SocketDirectory);
            }
            return null;
        }

        var server = new EmbeddedPostgres(tools, options, dataDirectory, running!.SocketDirectory, running.Port, joined: true, logger);
        if (!await server.WaitUntilAcceptingConnectionsAsync(ReadyTimeout, cancellationToken))
        {
            throw new EmbeddedPostgresException(
                $"The embedded PostgreSQL in {dataDirectory} is in use by {owners} other BlazorJobs instance(s) but does not accept " +
                $"connections on {running.SocketDirectory}. Give this instance a folder of its own with EmbeddedPostgres:DataDirectory " +
                "(environment: EmbeddedPostgres__DataDirectory=/some/other/folder).");
        }
        LogJoined(logger, dataDirectory, running.Port, owners);
        if (options.Settings.Count > 0)
        {
            LogSettingsOfRunningCluster(logger, string.Join(", ", options.Settings.Keys));
        }
        return server;
    }

    private static async Task<EmbeddedPostgres> StartClusterAsync(PostgresTools tools, EmbeddedPostgresOptions options, string dataDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        var socketDirectory = Directory.CreateTempSubdirectory("bj-pg-").FullName;
        var server = new EmbeddedPostgres(tools, options, dataDirectory, socketDirectory, FreeLoopbackPort(), joined: false, logger);
        await server.StartPostmasterAsync(cancellationToken);
        return server;
    }

    /// <summary>Starts the postmaster on this instance's port and socket (the ones every joined instance connects to).</summary>
    private async Task StartPostmasterAsync(CancellationToken cancellationToken)
    {
        // A temp cleaner may have removed the socket folder of a long-running cluster; it is only a rendezvous.
        Directory.CreateDirectory(_socketDirectory);
        await PostgresTools.GiveToServiceUserAsync(_socketDirectory, cancellationToken);
        var serverOptions = new List<string>
        {
            $"-p {Port}", $"-k {_socketDirectory}", "-c listen_addresses=127.0.0.1",
            // pg_stat_statements lets tests and benchmarks count the statements a waiting stream costs.
            "-c shared_preload_libraries=pg_stat_statements",
            "-c max_connections=200",
        };
        serverOptions.AddRange(_options.Settings.Select(s => $"-c {s.Key}={s.Value}"));
        var logFile = Path.Combine(DataDirectory, "server.log");
        await _tools.RunAsync("pg_ctl", ["-D", DataDirectory, "-l", logFile, "-w", "-t", "60", "-o", string.Join(' ', serverOptions), "start"], cancellationToken);
        LogListening(_logger, Port, _socketDirectory);
    }

    /// <summary>
    /// Brings a cluster whose postmaster died back, unless another instance already has (or it is only
    /// restarting). Returns true when this instance started it.
    /// </summary>
    internal async Task<bool> RestartIfDownAsync(CancellationToken cancellationToken)
    {
        using var control = await ClusterControlLock.AcquireAsync(DataDirectory, ControlLockTimeout, cancellationToken);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(_options.RestartTimeoutSeconds);
        while (!_stopped)
        {
            if (await IsAcceptingConnectionsAsync(cancellationToken))
            {
                return false;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new EmbeddedPostgresException($"The embedded PostgreSQL in {DataDirectory} did not come back within {_options.RestartTimeoutSeconds} s; see {Path.Combine(DataDirectory, "server.log")}.");
            }
            // Running: starting, recovering, restarted by an operator (pg_ctl restart), or a killed postmaster
            // not yet reaped (a zombie still "exists" for pg_ctl status). Asked again shortly either way.
            if (!await _tools.IsServerRunningAsync(DataDirectory, cancellationToken))
            {
                try
                {
                    await StartPostmasterAsync(cancellationToken);
                    return true;
                }
                catch (EmbeddedPostgresException ex)
                {
                    // The killed postmaster's children hold its shared memory until they notice and exit.
                    LogRestartRetry(_logger, ex.Message);
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
        return false;
    }

    private async Task CreateDatabaseIfMissingAsync(CancellationToken cancellationToken)
    {
        var database = _options.Database;
        await using var connection = new NpgsqlConnection(MaintenanceConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"")}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    internal async Task<bool> IsAcceptingConnectionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(MaintenanceConnectionString());
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    private async Task<bool> WaitUntilAcceptingConnectionsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await IsAcceptingConnectionsAsync(cancellationToken))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
        return true;
    }

    private string MaintenanceConnectionString() =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false, Timeout = 5 }.ConnectionString;

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The embedded PostgreSQL could not be set up; the message says what to do.</summary>
public sealed class EmbeddedPostgresException(string message) : Exception(message);
