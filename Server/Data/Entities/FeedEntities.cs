namespace BlazorJobs.Server.Data.Entities;

// The platform's activity, kept in the tables each part of the platform grew for itself.
// The live feed reads them all (see Feed/FeedSources.cs); none of them stores who did what
// beyond an opaque learner id, and the feed never shows that.

/// <summary>A message from the platform team.</summary>
public sealed class Announcement
{
    public long Id { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
}

public sealed class Enrolment
{
    public long Id { get; set; }
    public Guid LearnerId { get; set; }
    public Guid CourseId { get; set; }
    public DateTimeOffset EnrolledAt { get; set; }
}

public sealed class LessonCompletion
{
    public long Id { get; set; }
    public Guid LearnerId { get; set; }
    public Guid LessonId { get; set; }
    public DateTimeOffset CompletedAt { get; set; }
}

public sealed class Certificate
{
    public long Id { get; set; }
    public Guid LearnerId { get; set; }
    public Guid CourseId { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
}

public sealed class CourseReview
{
    public long Id { get; set; }
    public Guid CourseId { get; set; }
    public int Rating { get; set; }
    public required string Comment { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class DiscussionPost
{
    public long Id { get; set; }
    public Guid LessonId { get; set; }
    public required string Subject { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A scheduled live Q&amp;A for a course.</summary>
public sealed class LiveSession
{
    public long Id { get; set; }
    public Guid CourseId { get; set; }
    public required string Title { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset AnnouncedAt { get; set; }
}
