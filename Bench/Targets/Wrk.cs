using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BlazorJobs.Bench.Targets;

/// <summary>One <c>wrk</c> run: throughput and latency percentiles, or why it could not run.</summary>
public sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P90Ms, double P99Ms, long Requests, long NonSuccess, string? Problem = null);

/// <summary>
/// Runs Debian's <c>wrk</c> (plain request/response endpoints only: it cannot read streams) with
/// <c>--latency</c> and reads its summary.
/// </summary>
public static partial class Wrk
{
    public static async Task<WrkResult> RunAsync(Uri url, IReadOnlyDictionary<string, string> headers, int connections, TimeSpan duration)
    {
        var startInfo = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "--timeout", "5s" })
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in headers)
        {
            startInfo.ArgumentList.Add("-H");
            startInfo.ArgumentList.Add($"{name}: {value}");
        }
        startInfo.ArgumentList.Add(url.ToString());

        Process? wrk;
        try
        {
            wrk = Process.Start(startInfo);
        }
        catch (Win32Exception)
        {
            return Missing("wrk is not installed (apt-get install -y wrk); bench.sh installs it");
        }
        if (wrk is null)
        {
            return Missing("wrk could not be started");
        }
        using (wrk)
        {
            var output = await wrk.StandardOutput.ReadToEndAsync();
            var errors = await wrk.StandardError.ReadToEndAsync();
            await wrk.WaitForExitAsync();
            return wrk.ExitCode == 0 ? Parse(output) : Missing($"wrk exited with {wrk.ExitCode}: {errors.Trim()}");
        }
    }

    private static WrkResult Missing(string problem) => new(double.NaN, double.NaN, double.NaN, double.NaN, 0, 0, problem);

    private static WrkResult Parse(string output)
    {
        double Percentile(string p) => Percentiles().Matches(output).FirstOrDefault(m => m.Groups[1].Value == p) is { } m ? Milliseconds(m.Groups[2].Value, m.Groups[3].Value) : double.NaN;
        var rps = RequestsPerSecond().Match(output) is { Success: true } r ? double.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
        var total = TotalRequests().Match(output) is { Success: true } t ? long.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var nonSuccess = NonSuccess().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new WrkResult(rps, Percentile("50"), Percentile("90"), Percentile("99"), total, nonSuccess);
    }

    private static double Milliseconds(string value, string unit)
    {
        var number = double.Parse(value, CultureInfo.InvariantCulture);
        return unit switch
        {
            "us" => number / 1000,
            "ms" => number,
            "s" => number * 1000,
            "m" => number * 60_000,
            _ => double.NaN,
        };
    }

    [GeneratedRegex(@"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline)]
    private static partial Regex Percentiles();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex TotalRequests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();
}
