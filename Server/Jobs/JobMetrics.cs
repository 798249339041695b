using System.Diagnostics.Metrics;

namespace BlazorJobs.Server.Jobs;

/// <summary>The job queue's instruments (exported on <c>/metrics</c>).</summary>
public sealed class JobMetrics
{
    public const string MeterName = "BlazorJobs";

    private readonly Counter<long> _finished;
    private readonly Histogram<double> _duration;

    public JobMetrics(IMeterFactory meterFactory, QueueStatsSampler queue)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("blazorjobs.jobs.queue_depth", () => queue.Counts[JobStatus.Pending], description: "Jobs waiting to be claimed (PENDING)");
        meter.CreateObservableGauge("blazorjobs.jobs.by_status",
            () => queue.Counts.Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>("status", c.Key))),
            description: "Jobs in the table, by status");
        _finished = meter.CreateCounter<long>("blazorjobs.jobs.finished", description: "Jobs that reached a final state, by status");
        _duration = meter.CreateHistogram<double>("blazorjobs.jobs.duration", unit: "s", description: "Time a worker spent on a job attempt");
    }

    public void JobFinished(string status, TimeSpan duration)
    {
        _finished.Add(1, new KeyValuePair<string, object?>("status", status));
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("status", status));
    }
}
