using BlazorJobs.Server.Data;
using BlazorJobs.Server.Jobs;

namespace BlazorJobs.Server.Streaming;

/// <summary>
/// Wakes the worker on <c>NOTIFY job_enqueued</c>, and after the listener reconnects (a job enqueued
/// meanwhile sent a notification nobody heard). Here rather than in <c>Jobs/</c>, which does not depend on streaming.
/// </summary>
public sealed class WorkerWakeUps(EventHub hub, WorkerSignal signal) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = hub.Subscribe(HubTopic.Whole(Channels.JobEnqueued));
        try
        {
            await foreach (var _ in subscription.Reader.ReadAllAsync(stoppingToken))
            {
                signal.Pulse();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
