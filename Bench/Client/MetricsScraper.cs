using System.Globalization;

namespace BlazorJobs.Bench.Client;

/// <summary>
/// Reads the server's own view of delivery latency from <c>GET /metrics</c> (Prometheus text): the
/// <c>blazorjobs.sse.completion_to_terminal</c> histogram's sum and count. Two readings give the mean
/// time from <c>completedAt</c> to the terminal event being written, which splits a client-side
/// latency into the server's part and the wire-plus-client part. Its requests are not counted as the
/// clients' (it has its own connection).
/// </summary>
/// <param name="histogram">Another of the server's histograms (its Prometheus name, without the unit suffix).</param>
public sealed class MetricsScraper(Uri baseAddress, string histogram = "blazorjobs_sse_completion_to_terminal") : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };

    public readonly record struct Reading(double SumMs, double Count)
    {
        public static double MeanMs(Reading before, Reading after) =>
            after.Count > before.Count ? (after.SumMs - before.SumMs) / (after.Count - before.Count) : double.NaN;
    }

    public async Task<Reading> ReadAsync()
    {
        try
        {
            var text = await _http.GetStringAsync("metrics");
            double sum = 0, count = 0;
            foreach (var line in text.Split('\n'))
            {
                if (!line.StartsWith(histogram, StringComparison.Ordinal))
                {
                    continue;
                }
                var name = line.Split(['{', ' '], 2)[0];
                var value = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                if (name.EndsWith("_sum", StringComparison.Ordinal))
                {
                    sum += value;
                }
                else if (name.EndsWith("_count", StringComparison.Ordinal))
                {
                    count += value;
                }
            }
            return new Reading(sum, count);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or FormatException)
        {
            return new Reading(double.NaN, double.NaN);
        }
    }

    public void Dispose() => _http.Dispose();
}
