namespace BlazorJobs.Server.Jobs;

/// <summary>What a worker knows about a job it claimed.</summary>
public sealed record ClaimedJob(
    Guid Id,
    string Kind,
    Guid SessionId,
    string Question,
    Guid? CourseId,
    Guid? LessonId,
    int Attempt,
    int MaxAttempts,
    Guid LeaseToken);
