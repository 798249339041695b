using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace BlazorJobs.Bench.Report;

/// <summary>What the figures were measured on, and at which commit.</summary>
public sealed record MachineInfo(int Cores, string Memory, string CpuModel, string Kernel, string Runtime, string Commit)
{
    public static MachineInfo Read(string repositoryRoot) => new(
        Environment.ProcessorCount,
        MemoryTotal(),
        FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        TryRead("/proc/sys/kernel/osrelease")?.Trim() ?? RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        CommitOf(repositoryRoot));

    /// <summary>1, 5 and 15-minute load averages: the machine is shared, so say how busy it was.</summary>
    public static string LoadAverage() =>
        string.Join(" / ", (TryRead("/proc/loadavg") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3).DefaultIfEmpty("unknown"));

    private static string MemoryTotal()
    {
        var kib = FirstValue("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return long.TryParse(kib, CultureInfo.InvariantCulture, out var value)
            ? (value / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " GiB"
            : "unknown";
    }

    private static string? FirstValue(string file, string key) =>
        TryRead(file)?.Split('\n').FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim();

    private static string? TryRead(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary><c>git rev-parse --short HEAD</c> (read-only).</summary>
    private static string CommitOf(string repositoryRoot)
    {
        try
        {
            var startInfo = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "-C", repositoryRoot, "rev-parse", "--short", "HEAD" })
            {
                startInfo.ArgumentList.Add(argument);
            }
            using var git = Process.Start(startInfo)!;
            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && commit.Length > 0 ? commit : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown (git not installed)";
        }
    }
}
