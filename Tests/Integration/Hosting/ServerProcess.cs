using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Hosting;

/// <summary>
/// The server as a person starts it: its own <c>dotnet BlazorJobs.Server.dll</c> process in a chosen
/// working folder, on a fresh database of the test PostgreSQL, its output captured. Used where what is
/// under test is the process itself (which folder it takes its settings and files from), not the API.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _contentRoot = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process) => _process = process;

    /// <summary>The checkout this test run was built from (it holds BlazorJobs.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The server built alongside the tests, in their configuration (Tests/bin/&lt;configuration&gt;/net10.0/).</summary>
    public static string BuiltServerDll { get; } = Path.Combine(RepositoryRoot, "Server", "bin",
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name, "net10.0", "BlazorJobs.Server.dll");

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

    /// <summary>The folder the host says it took as content root (it logs it at start-up).</summary>
    public string ContentRoot { get; private set; } = null!;

    /// <param name="environment">Settings on top of the defaults; a null value removes one (no <c>ConnectionStrings__Default</c>: the embedded PostgreSQL).</param>
    public static async Task<ServerProcess> StartAsync(string serverDll, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(serverDll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add("http://127.0.0.1:0");
        info.Environment["ConnectionStrings__Default"] = environment?.ContainsKey("ConnectionStrings__Default") == true ? null : await TestPostgres.CreateDatabaseAsync();
        info.Environment["Worker__Enabled"] = "false";
        info.Environment["DemoAccounts__Enabled"] = "false";
        info.Environment["Feed__SeedActivityRows"] = "0";
        // Nothing of the test runner's own environment may choose the settings file for the process.
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var server = new ServerProcess(new Process { StartInfo = info, EnableRaisingEvents = true });
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.Exited += (_, _) =>
        {
            var exited = new InvalidOperationException($"The server exited during start-up:\n{server.Output}");
            server._listening.TrySetException(exited);
            server._contentRoot.TrySetException(exited);
        };
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            server.BaseAddress = await server._listening.Task.WaitAsync(StartTimeout);
            // The console logger writes from its own queue, so its line may come after the banner's.
            server.ContentRoot = await server._contentRoot.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"The server printed no address or content root in {StartTimeout.TotalSeconds} s:\n{server.Output}");
        }
        return server;
    }

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
        // The start-up banner's address line is printed once the app is listening.
        if (BannerAddress().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
        if (ContentRootLine().Match(line) is { Success: true } root)
        {
            _contentRoot.TrySetResult(root.Groups[1].Value.Trim());
        }
    }

    /// <summary>Stops it as a service manager would (SIGTERM) and waits for it to exit; returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
            await _process.WaitForExitAsync();
        }
        return _process.ExitCode;
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

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
        throw new InvalidOperationException($"No BlazorJobs.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^\s*Open (http://\S+)")]
    private static partial Regex BannerAddress();

    [GeneratedRegex(@"Content root path: (.+)$")]
    private static partial Regex ContentRootLine();
}
