namespace BlazorJobs.Server.Tutor;

/// <summary>A cited lesson.</summary>
public sealed record Source(string Title, string Url);

/// <summary>What a tutor produced for one question.</summary>
public sealed record TutorAnswer(string Answer, IReadOnlyList<string> NextSuggestions, IReadOnlyList<Source> Sources);
