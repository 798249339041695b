using BlazorJobs.Server.Hosting;

namespace BlazorJobs.Server.Chat;

/// <summary>The body of <c>POST …/query</c>.</summary>
public sealed record EnqueueRequest(string? Question, Guid? SessionId, Guid? CourseId, Guid? LessonId);

/// <summary>
/// Reads and validates an enqueue body: the body's own errors (415, 413, 400) from
/// <see cref="JsonRequestBody"/>, then a question outside 1–2,000 characters after trimming is 400.
/// </summary>
public static class EnqueueRequestReader
{
    public const int MaxQuestionLength = 2000;

    private const string ExpectedShape = "{ \"question\": \"...\" } with optional UUIDs sessionId, courseId, lessonId";

    public static async Task<(EnqueueRequest? Request, string? Question, UnreadableBody? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (parsed, error) = await JsonRequestBody.ReadAsync<EnqueueRequest>(request, ExpectedShape, cancellationToken);
        if (error is not null)
        {
            return (null, null, error);
        }

        var question = parsed?.Question?.Trim();
        if (string.IsNullOrEmpty(question) || question.Length > MaxQuestionLength)
        {
            return (null, null, ApiProblems.MalformedBody($"'question' must be 1 to {MaxQuestionLength:N0} characters after trimming.", "invalid-question"));
        }
        return (parsed, question, null);
    }

    /// <summary>An <c>Idempotency-Key</c> is 1–128 printable ASCII characters.</summary>
    public static bool IsValidIdempotencyKey(string key) => key.Length is >= 1 and <= 128 && key.All(c => c is >= ' ' and <= '~');
}
