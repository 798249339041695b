using System.Globalization;

namespace BlazorJobs.Bench.Measure;

/// <summary>How numbers read in the report: invariant culture, sensible precision.</summary>
public static class Format
{
    public static string Ms(double ms) => double.IsNaN(ms) ? "–" : ms switch
    {
        < 10 => ms.ToString("0.00", CultureInfo.InvariantCulture),
        < 100 => ms.ToString("0.0", CultureInfo.InvariantCulture),
        _ => ms.ToString("0", CultureInfo.InvariantCulture),
    };

    public static string Number(double value, string format = "0.##") =>
        double.IsNaN(value) || double.IsInfinity(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"1,234×" or "0.012×".</summary>
    public static string Ratio(double value) => double.IsNaN(value) || double.IsInfinity(value) ? "–" : value switch
    {
        >= 100 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.#", CultureInfo.InvariantCulture),
        _ => value.ToString("0.###", CultureInfo.InvariantCulture),
    } + "×";

    public static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    public static string Kib(double bytes) => double.IsNaN(bytes) ? "–" : (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB";

    public static string Verdict(bool met) => met ? "met" : "**missed**";
}
