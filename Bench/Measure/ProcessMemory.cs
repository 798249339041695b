using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BlazorJobs.Bench.Measure;

/// <summary>One type's share of a managed heap dump.</summary>
public sealed record HeapType(string Type, long Bytes, long Count);

/// <summary>
/// A process's memory after a forced full GC: RSS from <c>/proc</c>, and the live managed heap by type from
/// <c>dotnet-gcdump</c> (whose collection forces a full, blocking GC first, so the RSS read right after it
/// holds no garbage either). Without the tool only RSS is read, after no forced GC; the report says so.
/// </summary>
/// <param name="Threads">The process's threads: each one's touched stack is in RSS but not in the managed heap.</param>
/// <param name="Gc">The GC's own account of that forced collection (committed, fragmented), when dotnet-counters is installed.</param>
public sealed record MemorySample(long RssBytes, long? HeapBytes, IReadOnlyList<HeapType> Types, int Threads, GcMemory? Gc = null)
{
    public bool ForcedGc => HeapBytes is not null;
}

public static partial class ProcessMemory
{
    /// <summary>dotnet-gcdump on PATH or in the global tools folder; null when it is not installed.</summary>
    public static string? GcDumpTool { get; } = FindTool("dotnet-gcdump");

    public static long Rss(int pid) => Status(pid, "VmRSS:") * 1024;

    public static int Threads(int pid) => (int)Status(pid, "Threads:");

    /// <summary>A number from <c>/proc/&lt;pid&gt;/status</c> (kB for sizes).</summary>
    private static long Status(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"No {field} for process {pid}.");
    }

    public static async Task<MemorySample> SampleAsync(int pid, string workFolder)
    {
        if (GcDumpTool is null)
        {
            return new MemorySample(Rss(pid), null, [], Threads(pid));
        }
        var dump = Path.Combine(workFolder, $"heap-{pid}-{DateTime.UtcNow:HHmmssfff}.gcdump");
        await RunAsync(GcDumpTool, "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", dump);
        var rss = Rss(pid);
        var report = await RunAsync(GcDumpTool, "report", dump);
        File.Delete(dump);
        var types = new List<HeapType>();
        long? total = null;
        foreach (var line in report.Split('\n'))
        {
            if (HeapTotal().Match(line) is { Success: true } heap)
            {
                total = Number(heap.Groups[1].Value);
            }
            else if (TypeRow().Match(line) is { Success: true } row)
            {
                // The report's first column is the size of one object of the type (its average, for arrays), not the type's total.
                var count = Number(row.Groups[2].Value);
                types.Add(new HeapType(row.Groups[3].Value.Trim(), Number(row.Groups[1].Value) * count, count));
            }
        }
        return new MemorySample(rss, total ?? types.Sum(t => t.Bytes), types, Threads(pid), await GcMemory.ReadAsync(pid, workFolder));
    }

    private static long Number(string text) => long.Parse(text.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await errors}{await output}");
        }
        return await output;
    }

    /// <summary>A .NET global tool on PATH or in the global tools folder; null when it is not installed.</summary>
    public static string? FindTool(string name)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"));
        return folders.Select(f => Path.Combine(f, name)).FirstOrDefault(File.Exists);
    }

    [GeneratedRegex(@"^\s*([\d,]+)\s+GC Heap bytes")]
    private static partial Regex HeapTotal();

    [GeneratedRegex(@"^\s*([\d,]+)\s+([\d,]+)\s+(\S.*)$")]
    private static partial Regex TypeRow();
}
