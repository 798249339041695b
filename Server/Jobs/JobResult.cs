using BlazorJobs.Server.Tutor;

namespace BlazorJobs.Server.Jobs;

/// <summary>A completed job's result as the contract shows it (poll <c>result</c>, <c>completed</c> event).</summary>
public sealed record JobResult(string Answer, Guid SessionId, IReadOnlyList<string> NextSuggestions, IReadOnlyList<Source> Sources);
