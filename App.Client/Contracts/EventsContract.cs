namespace BlazorJobs.App.Client.Contracts;

/// <summary>The caller's one events stream (docs/api.md, <c>GET /api/events</c>), which the browser's tabs share.</summary>
public static class EventsContract
{
    public const string Url = "/api/events";
}
