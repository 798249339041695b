using System.Diagnostics;

namespace BlazorJobs.Server.Hosting;

/// <summary>Runs the machine's PostgreSQL binaries (initdb, pg_ctl) for the embedded cluster.</summary>
/// <remarks>
/// <c>initdb</c> and <c>postgres</c> refuse to run as root, so as root every binary runs as the
/// <c>postgres</c> OS user and the folders it uses are handed to that user.
/// </remarks>
internal sealed class PostgresTools(string binDirectory)
{
    private const string ServiceUser = "postgres";

    public static bool RunsAsRoot => Environment.IsPrivilegedProcess;

    /// <summary>Whether a postmaster runs on the data folder (<c>pg_ctl status</c>: its postmaster.pid names a live process).</summary>
    public async Task<bool> IsServerRunningAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var status = await RunAsync("pg_ctl", ["-D", dataDirectory, "status"], cancellationToken, throwOnError: false);
        return status.ExitCode == 0;
    }

    public Task<ProcessResult> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool throwOnError = true)
    {
        var executable = Path.Combine(binDirectory, tool);
        return RunsAsRoot
            ? RunProcessAsync("runuser", ["-u", ServiceUser, "--", executable, .. arguments], cancellationToken, throwOnError)
            : RunProcessAsync(executable, arguments, cancellationToken, throwOnError);
    }

    /// <summary>As root, gives the file or folder to the service user (a folder: private to it).</summary>
    public static async Task GiveToServiceUserAsync(string path, CancellationToken cancellationToken)
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

    public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);
}
