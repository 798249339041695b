namespace BlazorJobs.Bench.Measure;

/// <summary>A thread-safe bag of latencies, kept only while the measurement window is open.</summary>
public sealed class Samples
{
    private readonly List<TimeSpan> _latencies = [];
    private long _errors;

    /// <summary>Set when the window opens, cleared when it closes; outcomes outside it are not kept.</summary>
    public volatile bool Recording;

    public void Add(TimeSpan latency)
    {
        if (!Recording)
        {
            return;
        }
        lock (_latencies)
        {
            _latencies.Add(latency);
        }
    }

    public void Error() => Interlocked.Increment(ref _errors);

    public long Errors => Interlocked.Read(ref _errors);

    public LatencySummary Summary()
    {
        lock (_latencies)
        {
            return LatencySummary.Of(_latencies);
        }
    }
}
