using System.Text.Json;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Jobs;

namespace BlazorJobs.Server.Chat;

/// <summary>The body of <c>POST …/query</c>.</summary>
public sealed record EnqueueRequest(string? Question, Guid? SessionId, Guid? CourseId, Guid? LessonId);

/// <summary>
/// Reads and validates an enqueue body by hand, so each way it can be wrong gets the contract's
/// status and a message that says what to fix: 415 wrong content type, 413 over 16 KiB, 400
/// malformed JSON or a question outside 1–2,000 characters.
/// </summary>
public static class EnqueueRequestReader
{
    public const int MaxBodyBytes = 16 * 1024;
    public const int MaxQuestionLength = 2000;

    public static async Task<(EnqueueRequest? Request, string? Question, IResult? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            return (null, null, ApiProblems.UnsupportedMediaType());
        }
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, null, ApiProblems.PayloadTooLarge(MaxBodyBytes));
        }

        var body = await ReadLimitedAsync(request.Body, cancellationToken);
        if (body is null)
        {
            return (null, null, ApiProblems.PayloadTooLarge(MaxBodyBytes));
        }

        EnqueueRequest? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<EnqueueRequest>(body, JsonDefaults.Options);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 1 } path ? $" at {path}" : "";
            return (null, null, ApiProblems.BadRequest($"The body is not valid JSON for this endpoint{where}: expected {{ \"question\": \"...\" }} with optional UUIDs sessionId, courseId, lessonId.", "malformed-json"));
        }

        var question = parsed?.Question?.Trim();
        if (string.IsNullOrEmpty(question) || question.Length > MaxQuestionLength)
        {
            return (null, null, ApiProblems.BadRequest($"'question' must be 1 to {MaxQuestionLength:N0} characters after trimming.", "invalid-question"));
        }
        return (parsed, question, null);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null &&
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media) &&
        (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
         media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>The body, or null when it is longer than the limit (a chunked body has no Content-Length to check first).</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBodyBytes + 1];
        var total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
            if (total > MaxBodyBytes)
            {
                return null;
            }
        }
        return buffer[..total];
    }

    /// <summary>An <c>Idempotency-Key</c> is 1–128 printable ASCII characters.</summary>
    public static bool IsValidIdempotencyKey(string key) => key.Length is >= 1 and <= 128 && key.All(c => c is >= ' ' and <= '~');
}
