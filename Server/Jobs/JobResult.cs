using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BlazorJobs.Server.Jobs;

/// <summary>A cited lesson.</summary>
public sealed record Source(string Title, string Url);

/// <summary>What a tutor produced for one question.</summary>
public sealed record TutorAnswer(string Answer, IReadOnlyList<string> NextSuggestions, IReadOnlyList<Source> Sources);

/// <summary>A completed job's result as the contract shows it (poll <c>result</c>, <c>completed</c> event).</summary>
public sealed record JobResult(string Answer, Guid SessionId, IReadOnlyList<string> NextSuggestions, IReadOnlyList<Source> Sources);

/// <summary>The JSON settings of the HTTP contract: camelCase, no nulls.</summary>
public static class JsonDefaults
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // These documents go into JSON responses and SSE data, never raw into HTML: keep "&" and "`" readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new BlazorJobs.Server.Hosting.NulFreeStringConverter() },
    };
}
