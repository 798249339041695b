using System.Text.Json;
using BlazorJobs.Server.Jobs;

namespace BlazorJobs.Server.Hosting;

/// <summary>
/// Reads a small JSON request body by hand, so each way it can be wrong gets the contract's status
/// (api.md, Conventions) and a message that says what to fix: 415 wrong content type, 413 over
/// 16 KiB (with a Content-Length or chunked), 400 malformed JSON, a wrong JSON type or a NUL character in a string.
/// </summary>
public static class JsonRequestBody
{
    public const int MaxBytes = 16 * 1024;

    /// <param name="expectedShape">What the body should look like, for the 400's detail.</param>
    public static async Task<(T? Value, UnreadableBody? Error)> ReadAsync<T>(HttpRequest request, string expectedShape, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            return (default, ApiProblems.UnsupportedMediaType());
        }
        if (request.ContentLength > MaxBytes)
        {
            return (default, ApiProblems.PayloadTooLarge(MaxBytes));
        }

        var body = await ReadLimitedAsync(request.Body, cancellationToken);
        if (body is null)
        {
            return (default, ApiProblems.PayloadTooLarge(MaxBytes));
        }

        try
        {
            return (JsonSerializer.Deserialize<T>(body, JsonDefaults.Options), null);
        }
        catch (NulCharacterException)
        {
            return (default, ApiProblems.MalformedBody($"{NulFreeText.Rule} Found in the body.", "nul-character"));
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 1 } path ? $" at {path}" : "";
            return (default, ApiProblems.MalformedBody($"The body is not valid JSON for this endpoint{where}: expected {expectedShape}.", "malformed-json"));
        }
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null &&
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media) &&
        (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
         media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>The body, or null when it is longer than the limit (a chunked body has no Content-Length to check first).</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBytes + 1];
        var total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
            if (total > MaxBytes)
            {
                return null;
            }
        }
        return buffer[..total];
    }
}
