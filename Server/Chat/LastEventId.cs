using BlazorJobs.Server.Hosting;

namespace BlazorJobs.Server.Chat;

/// <summary>Reads the <c>Last-Event-ID</c> header of a resuming SSE client.</summary>
public static class LastEventId
{
    /// <returns>The id, or null when absent or empty (an empty id is how a client resets it).</returns>
    public static long? Read(HttpRequest request, out BadRequestProblem? error)
    {
        error = null;
        var value = request.Headers["Last-Event-ID"].ToString().Trim();
        if (value.Length == 0)
        {
            return null;
        }
        if (long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return id;
        }
        error = ApiProblems.BadRequest("'Last-Event-ID' must be an event id this stream sent (a non-negative integer).", "invalid-last-event-id");
        return null;
    }
}
