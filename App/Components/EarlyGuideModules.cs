namespace BlazorJobs.App.Components;

/// <summary>
/// Every module the landing page's early guide imports (wwwroot/js/early-guide.js and what it imports,
/// transitively). App.razor preloads them on "/" so the browser fetches the whole graph at once instead
/// of discovering it one import level at a time (six levels, ~300 ms on loopback). A module missing
/// here still loads, only later: Tests/js/landing-preloads.test.mjs compares this list with the graph.
/// </summary>
public static class EarlyGuideModules
{
    public static readonly IReadOnlyList<string> Paths =
    [
        "js/early-guide.js",
        "Chat/ChatInput.razor.js",
        "js/chat-client.js",
        "js/sse-client.js",
        "js/bearer-token.js",
        "js/sign-out-sync.js",
        "js/outbox.js",
        "js/contract-request.js",
        "js/event-stream-parser.js",
        "js/job-delivery.js",
        "js/job-stream.js",
        "js/job-poll.js",
        "js/stream-breaker.js",
        "js/delivery-report.js",
        "js/session-stream.js",
        "js/named-event-stream.js",
        "js/feed-stream.js",
        "js/feed-page.js",
        "js/shared-stream.js",
        "js/reconnecting-stream.js",
        "js/delivery-errors.js",
        "js/abortable-wait.js",
        "js/fetch-parts.js",
    ];
}
