using BlazorJobs.Server.Tutor;

namespace BlazorJobs.Tests.Integration.Tutor;

/// <summary>Collects what a tutor reports, in order, where the job runner would write events.</summary>
public sealed class RecordingProgress : ITutorProgress
{
    public List<string> Stages { get; } = [];

    public List<string> Deltas { get; } = [];

    public string Text => string.Concat(Deltas);

    public Task ReportStageAsync(string stage, string message, CancellationToken cancellationToken)
    {
        Stages.Add(stage);
        return Task.CompletedTask;
    }

    public Task WriteDeltaAsync(string text, CancellationToken cancellationToken)
    {
        Deltas.Add(text);
        return Task.CompletedTask;
    }
}
