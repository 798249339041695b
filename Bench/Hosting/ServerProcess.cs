using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace BlazorJobs.Bench.Hosting;

/// <summary>
/// The real server (its Release build) as a separate process, on a free loopback port, with its own
/// embedded PostgreSQL in the benchmark's private data folder. Stopped with SIGTERM (then killed if
/// it hangs), and its PostgreSQL is made sure to be stopped as well. Its whole output goes to a log file
/// (<see cref="LogPath"/>), so a run that misbehaves without failing can still be read afterwards; only the
/// last lines are kept in memory, for the messages of a server that fails.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(45);
    private const int KeptOutputLines = 60;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private bool _logClosed;
    private readonly TaskCompletionSource<int> _databasePort = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stopped;

    private ServerProcess(Process process, Uri baseAddress, string dataDirectory, ServerConfig config, string logPath)
    {
        _process = process;
        LogPath = logPath;
        _log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        Config = config;
    }

    public Uri BaseAddress { get; }
    public string DataDirectory { get; }
    public ServerConfig Config { get; }

    /// <summary>The file holding everything the server wrote to stdout and stderr.</summary>
    public string LogPath { get; }
    public int Pid => _process.Id;

    /// <summary>The embedded PostgreSQL's TCP port, from the start-up banner.</summary>
    public int DatabasePort => _databasePort.Task.Result;

    /// <summary>The postmaster's pid: the first line of <c>postmaster.pid</c> in the data folder.</summary>
    public int? PostmasterPid
    {
        get
        {
            try
            {
                var first = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault();
                return int.TryParse(first, CultureInfo.InvariantCulture, out var pid) ? pid : null;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    public CpuSample Cpu() => ProcessCpu.Sample(Pid, PostmasterPid);

    /// <param name="logFolder">Where the server's log file goes: one file per server, named by time and configuration.</param>
    public static async Task<ServerProcess> StartAsync(string serverDll, string dataDirectory, ServerConfig config, string logFolder)
    {
        Directory.CreateDirectory(logFolder);
        var logPath = Path.Combine(logFolder, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{FileNameOf(config.Name)}.log");
        var baseAddress = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
        };
        startInfo.ArgumentList.Add(serverDll);
        foreach (var name in ServerConfig.Removed)
        {
            startInfo.Environment.Remove(name);
        }
        foreach (var (name, value) in config.Environment(baseAddress, dataDirectory))
        {
            startInfo.Environment[name] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start dotnet.");
        var server = new ServerProcess(process, baseAddress, dataDirectory, config, logPath);
        process.OutputDataReceived += (_, e) => server.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnOutput(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => server.OnExited();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync();
        }
        catch
        {
            await server.StopAsync();
            throw;
        }
        return server;
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_logLock)
        {
            if (!_logClosed)
            {
                _log.WriteLine(line);
            }
        }
        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines && _output.TryDequeue(out _))
        {
        }
        if (DatabaseBanner().Match(line) is { Success: true } match)
        {
            _databasePort.TrySetResult(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A server that dies mid-benchmark explains every error after it: say so at once, with its last words.</summary>
    private void OnExited()
    {
        if (!_stopped)
        {
            Console.Error.WriteLine($"  ! the server ({Config.Name}) exited unexpectedly with code {_process.ExitCode}. Its last output:");
            Console.Error.WriteLine(string.Join(Environment.NewLine, _output.Select(line => "    " + line)));
            Console.Error.WriteLine($"  ! its whole output: {LogPath}");
        }
    }

    /// <summary>Waits for the banner's database line, then for <c>GET /health</c> to answer 200.</summary>
    private async Task WaitUntilReadyAsync()
    {
        using var deadline = new CancellationTokenSource(StartTimeout);
        var exited = _process.WaitForExitAsync(deadline.Token);
        if (await Task.WhenAny(_databasePort.Task, exited) != _databasePort.Task)
        {
            throw Failure("exited before printing its banner");
        }

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (_process.HasExited)
            {
                throw Failure("exited while starting");
            }
            try
            {
                using var response = await http.GetAsync("health", deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw Failure($"was not healthy within {StartTimeout.TotalSeconds} s");
            }
            catch (TaskCanceledException)
            {
                // One check outlived its 5 s (a starting server on 2 busy cores): ask again until the deadline.
            }
            await Task.Delay(200, deadline.Token);
        }
    }

    private InvalidOperationException Failure(string what) =>
        new($"The server ({Config.Name}) {what}. Its last output (all of it in {LogPath}):{Environment.NewLine}{string.Join(Environment.NewLine, _output)}");

    /// <summary>SIGTERM, then a kill after <see cref="StopTimeout"/>; then makes sure PostgreSQL is down too.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        if (!_process.HasExited)
        {
            Posix.Terminate(_process.Id);
            using var wait = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"  ! the server ({Config.Name}) did not stop within {StopTimeout.TotalSeconds} s of SIGTERM; killing it");
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        await StopLeftoverPostgresAsync();
        _process.Dispose();
        lock (_logLock)
        {
            _logClosed = true;
            _log.Dispose();
        }
    }

    /// <summary>A killed server leaves its PostgreSQL running: stop it with pg_ctl, as the postgres user when root.</summary>
    private async Task StopLeftoverPostgresAsync()
    {
        if (PostmasterPid is not { } pid || !IsRunning(pid))
        {
            return;
        }
        var pgCtl = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_ctl")).Where(File.Exists).Order().LastOrDefault()
            : null;
        if (pgCtl is null)
        {
            return;
        }
        var startInfo = Environment.IsPrivilegedProcess ? new ProcessStartInfo("runuser") : new ProcessStartInfo(pgCtl);
        if (Environment.IsPrivilegedProcess)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", pgCtl })
            {
                startInfo.ArgumentList.Add(argument);
            }
        }
        foreach (var argument in new[] { "-D", DataDirectory, "-m", "fast", "-w", "stop" })
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.WorkingDirectory = Path.GetTempPath();
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        using var stop = Process.Start(startInfo);
        if (stop is not null)
        {
            await stop.WaitForExitAsync();
        }
    }

    private static string FileNameOf(string name) =>
        string.Concat(name.Select(c => char.IsLetterOrDigit(c) ? c : '-')).Trim('-');

    private static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}");

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Database: embedded PostgreSQL on 127\.0\.0\.1:(\d+)")]
    private static partial Regex DatabaseBanner();
}
