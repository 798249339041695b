using System.Net;
using System.Text;

namespace BlazorJobs.Tests.Integration.Api.HostileInput;

/// <summary>
/// One row of the hostile-input table: what a client sends, as which caller, and the status the
/// contract (api.md) gives it.
/// </summary>
/// <param name="Kind">Which hostile input this is: malformed JSON, oversized, NUL, wrong type, foreign id, no credentials, bad token.</param>
/// <param name="Body">Sent as application/json when set.</param>
/// <param name="RefusedByKestrel">A NUL in the path: Kestrel answers 400 itself, before the app, with no body to check.</param>
public sealed record HostileRequest(
    string Kind,
    HttpClient Caller,
    HttpMethod Method,
    string Url,
    HttpStatusCode Expected,
    string? Body = null,
    bool RefusedByKestrel = false)
{
    /// <summary>The endpoint this row exercises, as api.md names it (ids and queries left out).</summary>
    public string Endpoint => $"{Method} {EndpointPath(Url)}";

    public HttpRequestMessage ToMessage()
    {
        var request = new HttpRequestMessage(Method, Url);
        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        }
        return request;
    }

    public override string ToString() => $"{Method} {Url} [{Kind}]";

    private static string EndpointPath(string url)
    {
        var path = url.Split('?')[0];
        return string.Join('/', path.Split('/').Select(segment =>
            Guid.TryParse(segment, out _) || segment.Contains('%') || segment is "not-a-uuid" or "no-such-course" ? "{id}" : segment));
    }
}
