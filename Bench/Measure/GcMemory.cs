using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace BlazorJobs.Bench.Measure;

/// <summary>
/// What the runtime's GC says of its last collection (the forced one <c>dotnet-gcdump</c> just made): bytes committed,
/// the heap's size and the free space between live objects (fragmentation). With the live bytes from the dump they split
/// a process's RSS into live objects, fragmentation, committed but empty GC memory, and everything outside the GC heap.
/// </summary>
public sealed record GcMemory(long CommittedBytes, long HeapBytes, long FragmentedBytes)
{
    /// <summary>dotnet-counters on PATH or in the global tools folder; null when it is not installed.</summary>
    public static string? Tool { get; } = ProcessMemory.FindTool("dotnet-counters");

    private const string Counters =
        "System.Runtime[dotnet.gc.last_collection.memory.committed_size,dotnet.gc.last_collection.heap.size,dotnet.gc.last_collection.heap.fragmentation.size]";

    /// <summary>Reads the counters for a few seconds (they are published once a second); null without the tool.</summary>
    public static async Task<GcMemory?> ReadAsync(int pid, string workFolder)
    {
        if (Tool is null)
        {
            return null;
        }
        var output = Path.Combine(workFolder, $"gc-{pid}-{DateTime.UtcNow:HHmmssfff}.json");
        var start = new ProcessStartInfo(Tool) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in (string[])["collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--counters", Counters,
                     "--refresh-interval", "1", "--duration", "00:00:00:03", "--format", "json", "-o", output])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet-counters.");
        var drained = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        await drained;
        if (!File.Exists(output))
        {
            return null;
        }
        try
        {
            return Parse(await File.ReadAllTextAsync(output));
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>The last reading of each counter; the heap and fragmentation summed over generations.</summary>
    private static GcMemory? Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var latest = new Dictionary<(string Name, string Tags), double>();
        foreach (var e in document.RootElement.GetProperty("Events").EnumerateArray())
        {
            latest[(e.GetProperty("name").GetString()!, e.GetProperty("tags").GetString() ?? "")] = e.GetProperty("value").GetDouble();
        }
        long Sum(string prefix) => (long)latest.Where(p => p.Key.Name.StartsWith(prefix, StringComparison.Ordinal)).Sum(p => p.Value);
        var committed = Sum("dotnet.gc.last_collection.memory.committed_size");
        return committed == 0 ? null : new GcMemory(committed, Sum("dotnet.gc.last_collection.heap.size"), Sum("dotnet.gc.last_collection.heap.fragmentation.size"));
    }
}
