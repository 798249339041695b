using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BlazorJobs.Server.Hosting;

/// <summary>The JSON settings of the HTTP contract: camelCase, no nulls.</summary>
public static class JsonDefaults
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // These documents go into JSON responses and SSE data, never raw into HTML: keep "&" and "`" readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new NulFreeStringConverter() },
    };
}
