using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace BlazorJobs.Tests.Integration.Faults;

/// <summary>
/// The built server as its own <c>dotnet BlazorJobs.Server.dll</c> process, so a fault test can kill it
/// (SIGKILL: a crash) or stop it (SIGTERM: a deployment) and start another on the same database.
/// Settings are environment variables; the Synthetic tutor makes job durations predictable.
/// </summary>
internal sealed partial class FaultServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly string RepositoryRoot = FindRepositoryRoot();

    /// <summary>The configuration the tests were built in (Tests/bin/&lt;configuration&gt;/net10.0/); Server was built alongside.</summary>
    private static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FaultServer(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Settings every fault test starts from: an external database, the Synthetic tutor, short leases, no demo data.</summary>
    public static Dictionary<string, string> Settings(string connectionString, int answerMs, int deltas = 10) => new()
    {
        ["ConnectionStrings__Default"] = connectionString,
        ["DemoAccounts__Enabled"] = "false",
        ["Feed__SeedActivityRows"] = "0",
        ["Tutor__Provider"] = "Synthetic",
        ["Tutor__Synthetic__DurationMs"] = answerMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Tutor__Synthetic__Deltas"] = deltas.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // A crashed worker's job is reclaimed after this; the default 30 s would only slow the tests down.
        ["Jobs__LeaseSeconds"] = "4",
        ["Jobs__BackoffSeconds"] = "0.2",
        ["Streams__HeartbeatSeconds"] = "1",
        ["RateLimits__Landing__PermitsPerMinute"] = "1000",
        ["RateLimits__Landing__PerIpPermitsPerMinute"] = "1000",
        ["RateLimits__Tutor__PermitsPerMinute"] = "1000",
    };

    public static async Task<FaultServer> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(RepositoryRoot, "Server", "bin", Configuration, "net10.0", "BlazorJobs.Server.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add("http://127.0.0.1:0");
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        var server = new FaultServer(new Process { StartInfo = info, EnableRaisingEvents = true });
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.Exited += (_, _) => server._listening.TrySetException(new InvalidOperationException($"The server exited during start-up:\n{server.Output}"));
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            server.BaseAddress = await server._listening.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"The server printed no address in {StartTimeout.TotalSeconds} s:\n{server.Output}");
        }
        return server;
    }

    /// <summary>A client with its own cookie jar (one visitor), or with <paramref name="cookies"/> to be the same visitor on another process.</summary>
    public HttpClient CreateClient(System.Net.CookieContainer? cookies = null) =>
        new(new SocketsHttpHandler { CookieContainer = cookies ?? new System.Net.CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(120),
        };

    /// <summary>SIGKILL: the process dies at once, mid-write, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: what a service manager or an orchestrator sends to stop the process gracefully.</summary>
    public void Terminate()
    {
        if (SendSignal(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        if (BannerAddress().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BlazorJobs.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("No BlazorJobs.sln above the test binaries.");
    }

    private const int SigTerm = 15;

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe blocks enabled for the whole test project
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
#pragma warning restore SYSLIB1054

    [GeneratedRegex(@"^\s*Open (http://\S+)")]
    private static partial Regex BannerAddress();
}
