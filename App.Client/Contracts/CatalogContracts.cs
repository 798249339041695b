namespace BlazorJobs.App.Client.Contracts;

/// <summary>A course as the catalogue shows it.</summary>
public sealed record CourseCard(Guid Id, string Slug, string Title, string Summary, string Level, int DurationHours, int LessonCount);

/// <summary>A course with its lessons, for the course player.</summary>
public sealed record CourseDetail(Guid Id, string Slug, string Title, string Summary, string Level, int DurationHours, IReadOnlyList<LessonView> Lessons);

/// <summary>A lesson and its text.</summary>
public sealed record LessonView(Guid Id, string Slug, string Title, string Summary, int Position, IReadOnlyList<string> Paragraphs);
