
namespace BlazorJobs.Server.Tutor;

/// <summary>What a tutor is asked.</summary>
public sealed record TutorRequest(Guid JobId, string Kind, string Question, Guid? CourseId, Guid? LessonId, int Attempt);

/// <summary>Where a tutor reports its pipeline steps and its answer text as it is produced.</summary>
public interface ITutorProgress
{
    /// <summary>A pipeline step, e.g. ("retrieving", "Searching the course material").</summary>
    Task ReportStageAsync(string stage, string message, CancellationToken cancellationToken);

    /// <summary>The next piece of the answer. The pieces, joined, are the final answer.</summary>
    Task WriteDeltaAsync(string text, CancellationToken cancellationToken);
}

/// <summary>Answers a learner's or visitor's question. Implementations: retrieval (default), OpenAI-compatible, synthetic.</summary>
public interface ITutor
{
    Task<TutorAnswer> AnswerAsync(TutorRequest request, ITutorProgress progress, CancellationToken cancellationToken);
}

/// <summary>
/// A failure the tutor knows is final (retrying would give the same result); the message is shown to the user.
/// Any other exception is treated as transient and retried with back-off.
/// </summary>
public sealed class PermanentTutorException(string userMessage) : Exception(userMessage);
