using System.Net;
using System.Net.Http.Headers;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api.HostileInput;

/// <summary>
/// Every endpoint of api.md × the inputs a hostile or careless client sends: malformed JSON, a body
/// over 16 KiB, U+0000 in text, a value of the wrong type, another caller's id, no credentials, and a
/// garbage or tampered bearer token. Each row carries the status the contract gives it; none is 500.
/// </summary>
public sealed class HostileInputTable
{
    public const string Malformed = "malformed JSON";
    public const string Oversized = "oversized body";
    public const string Nul = "NUL character";
    public const string WrongType = "wrong type";
    public const string ForeignId = "foreign id";
    public const string NoCredentials = "no credentials";
    public const string BadToken = "garbage or tampered token";

    private const string NulInJson = "\\u0000";
    private static readonly string OversizedJson = $$"""{"question":"Hi","padding":"{{new string(' ', 17 * 1024)}}"}""";

    public required IReadOnlyList<HostileRequest> Rows { get; init; }

    /// <summary>Arranges the callers and the things they own (a job and a session per chatbot), then lists the rows.</summary>
    public static async Task<HostileInputTable> BuildAsync(AppFixture app)
    {
        var owner = await app.LearnerAsync(0);
        var learner = await app.LearnerAsync(1);
        var admin = await app.CreateLearnerClientAsync("admin@example.com", AppFixture.AdminPassword);
        var visitorOwner = app.CreateClient();
        var visitor = app.CreateClient();
        var anonymous = app.CreateClient();
        var garbage = WithBearer(app.CreateClient(), "not-a-token");
        // A real token with its signature bytes changed: well-formed, but not the server's.
        var tampered = WithBearer(app.CreateClient(), Tamper(owner.DefaultRequestHeaders.Authorization!.Parameter!));

        var tutorJob = await ChatApi.AskAsync(owner, ChatApi.Tutor, "What is flexbox?");
        var landingJob = await ChatApi.AskAsync(visitorOwner, ChatApi.Landing, "What is flexbox?");
        await ChatApi.WaitForTerminalAsync(owner, tutorJob.PollUrl);
        await ChatApi.WaitForTerminalAsync(visitorOwner, landingJob.PollUrl);

        var rows = new List<HostileRequest>();
        AddChatbot(rows, ChatApi.Tutor, caller: learner, tutorJob, unauthenticated: [anonymous, garbage, tampered]);
        AddChatbot(rows, ChatApi.Landing, caller: visitor, landingJob, unauthenticated: []);
        AddDelivery(rows, visitor, landingJob);
        AddFeed(rows, anonymous);
        // api.md, "One events stream per caller": a bearer token that does not authenticate is 401, never a visitor's stream.
        rows.AddRange(new[] { garbage, tampered }.Select(stranger => new HostileRequest(BadToken, stranger, HttpMethod.Get, "/api/events", HttpStatusCode.Unauthorized)));
        AddRollout(rows, admin, learner, [anonymous, garbage, tampered]);
        AddAccounts(rows, anonymous, garbage);
        AddCatalog(rows, anonymous);
        return new HostileInputTable { Rows = rows };
    }

    private static void AddChatbot(List<HostileRequest> rows, string bot, HttpClient caller, Accepted foreign, HttpClient[] unauthenticated)
    {
        var job = foreign.JobId;
        var session = foreign.SessionId;
        var post = HttpMethod.Post;
        var get = HttpMethod.Get;

        rows.Add(new(Malformed, caller, post, $"{bot}/query", HttpStatusCode.BadRequest, """{"question": "unterminated"""));
        rows.Add(new(Malformed, caller, post, $"{bot}/query", HttpStatusCode.BadRequest, "{'question': 'single quotes'}"));
        rows.Add(new(Oversized, caller, post, $"{bot}/query", HttpStatusCode.RequestEntityTooLarge, OversizedJson));
        rows.Add(new(Nul, caller, post, $"{bot}/query", HttpStatusCode.BadRequest, $$"""{"question":"What is {{NulInJson}} flexbox?"}"""));
        rows.Add(new(WrongType, caller, post, $"{bot}/query", HttpStatusCode.BadRequest, """{"question": ["What is flexbox?"]}"""));
        rows.Add(new(WrongType, caller, post, $"{bot}/query", HttpStatusCode.BadRequest, """{"question": "What is flexbox?", "sessionId": true}"""));
        rows.Add(new(ForeignId, caller, post, $"{bot}/query", HttpStatusCode.NotFound, $$"""{"question": "What is flexbox?", "sessionId": "{{session}}"}"""));

        (HttpMethod Method, string Path)[] byId =
        [
            (get, $"{bot}/job/{{0}}"), (get, $"{bot}/stream/{{0}}"), (post, $"{bot}/job/{{0}}/cancel"), (post, $"{bot}/job/{{0}}/retry"),
        ];
        (HttpMethod Method, string Path)[] bySession =
        [
            (get, $"{bot}/sessions/{{0}}"), (HttpMethod.Delete, $"{bot}/sessions/{{0}}"),
            .. bot == ChatApi.Tutor ? [(get, $"{bot}/sessions/{{0}}/stream")] : Array.Empty<(HttpMethod, string)>(),
        ];
        foreach (var (method, path, id) in byId.Select(e => (e.Method, e.Path, job)).Concat(bySession.Select(e => (e.Method, e.Path, session))))
        {
            rows.Add(new(ForeignId, caller, method, string.Format(path, id), HttpStatusCode.NotFound));
            rows.Add(new(WrongType, caller, method, string.Format(path, "not-a-uuid"), HttpStatusCode.BadRequest));
            rows.Add(new(Nul, caller, method, string.Format(path, "%00"), HttpStatusCode.BadRequest, RefusedByKestrel: true));
            foreach (var stranger in unauthenticated)
            {
                rows.Add(new(stranger.DefaultRequestHeaders.Authorization is null ? NoCredentials : BadToken, stranger, method, string.Format(path, id), HttpStatusCode.Unauthorized));
            }
        }
        rows.Add(new(WrongType, caller, get, $"{bot}/sessions?courseId=css", HttpStatusCode.BadRequest));
        rows.Add(new(Nul, caller, get, $"{bot}/sessions?courseId=%00", HttpStatusCode.BadRequest));
        foreach (var stranger in unauthenticated)
        {
            rows.Add(new(stranger.DefaultRequestHeaders.Authorization is null ? NoCredentials : BadToken, stranger, post, $"{bot}/query", HttpStatusCode.Unauthorized, """{"question": "What is flexbox?"}"""));
            rows.Add(new(stranger.DefaultRequestHeaders.Authorization is null ? NoCredentials : BadToken, stranger, get, $"{bot}/sessions", HttpStatusCode.Unauthorized));
        }
    }

    private static void AddDelivery(List<HostileRequest> rows, HttpClient visitor, Accepted foreign)
    {
        const string reports = "/api/delivery/reports";
        var post = HttpMethod.Post;
        rows.Add(new(Malformed, visitor, post, reports, HttpStatusCode.BadRequest, """{"jobId": """));
        rows.Add(new(Oversized, visitor, post, reports, HttpStatusCode.RequestEntityTooLarge, OversizedJson));
        rows.Add(new(Nul, visitor, post, reports, HttpStatusCode.BadRequest,
            $$"""{"jobId":"{{foreign.JobId}}","mode":"sse","kind":"stream_error","detail":"net{{NulInJson}}error"}"""));
        rows.Add(new(WrongType, visitor, post, reports, HttpStatusCode.BadRequest, """{"jobId": 7, "mode": "sse", "kind": "fallback"}"""));
        // api.md: a report on a job the caller does not own is ignored, not an error.
        rows.Add(new(ForeignId, visitor, post, reports, HttpStatusCode.NoContent, $$"""{"jobId":"{{foreign.JobId}}","mode":"sse","kind":"fallback"}"""));
    }

    private static void AddFeed(List<HostileRequest> rows, HttpClient anonymous)
    {
        foreach (var path in new[] { "/api/feed", "/api/feed/stream" })
        {
            rows.Add(new(WrongType, anonymous, HttpMethod.Get, $"{path}?limit=abc", HttpStatusCode.BadRequest));
            rows.Add(new(WrongType, anonymous, HttpMethod.Get, $"{path}?limit=1e9", HttpStatusCode.BadRequest));
            rows.Add(new(Nul, anonymous, HttpMethod.Get, $"{path}?limit=%00", HttpStatusCode.BadRequest));
            rows.Add(new(Nul, anonymous, HttpMethod.Get, $"{path}?cursor=%00", HttpStatusCode.BadRequest));
        }
        rows.Add(new(WrongType, anonymous, HttpMethod.Get, "/api/feed/stream?live=maybe", HttpStatusCode.BadRequest));
    }

    private static void AddRollout(List<HostileRequest> rows, HttpClient admin, HttpClient learner, HttpClient[] strangers)
    {
        const string rollout = "/api/admin/rollout";
        var put = HttpMethod.Put;
        rows.Add(new(Malformed, admin, put, rollout, HttpStatusCode.BadRequest, """{"allocation": {"sse": 100"""));
        rows.Add(new(Oversized, admin, put, rollout, HttpStatusCode.RequestEntityTooLarge, OversizedJson));
        rows.Add(new(WrongType, admin, put, rollout, HttpStatusCode.BadRequest, """{"allocation": {"sse": "all"}, "killSwitch": "no"}"""));
        rows.Add(new(WrongType, admin, HttpMethod.Get, $"{rollout}/audit?limit=abc", HttpStatusCode.BadRequest));
        rows.Add(new(Nul, admin, HttpMethod.Get, $"{rollout}/audit?limit=%00", HttpStatusCode.BadRequest));
        (HttpMethod, string)[] endpoints = [(HttpMethod.Get, rollout), (put, rollout), (HttpMethod.Get, $"{rollout}/audit"), (HttpMethod.Get, $"{rollout}/stream")];
        foreach (var (method, path) in endpoints)
        {
            var body = method == put ? """{"allocation":{"sse":100,"hybrid":0,"polling":0},"killSwitch":true}""" : null;
            rows.Add(new(BadToken, learner, method, path, HttpStatusCode.Forbidden, body));
            foreach (var stranger in strangers)
            {
                rows.Add(new(stranger.DefaultRequestHeaders.Authorization is null ? NoCredentials : BadToken, stranger, method, path, HttpStatusCode.Unauthorized, body));
            }
        }
    }

    private static void AddAccounts(List<HostileRequest> rows, HttpClient anonymous, HttpClient garbage)
    {
        var post = HttpMethod.Post;
        foreach (var path in new[] { "/api/auth/login", "/api/auth/register" })
        {
            rows.Add(new(Malformed, anonymous, post, path, HttpStatusCode.BadRequest, """{"email": "learner@example.com", """));
            rows.Add(new(Oversized, anonymous, post, path, HttpStatusCode.RequestEntityTooLarge,
                $$"""{"email":"learner@example.com","password":"{{new string('x', 17 * 1024)}}"}"""));
            rows.Add(new(Nul, anonymous, post, path, HttpStatusCode.BadRequest, $$"""{"email":"learner{{NulInJson}}@example.com","password":"Another-Pass-1"}"""));
            rows.Add(new(WrongType, anonymous, post, path, HttpStatusCode.BadRequest, """{"email": 42, "password": ["x"]}"""));
        }
        rows.Add(new(Malformed, anonymous, post, "/api/auth/refresh", HttpStatusCode.BadRequest, """{"refreshToken": """));
        rows.Add(new(WrongType, anonymous, post, "/api/auth/refresh", HttpStatusCode.BadRequest, """{"refreshToken": 5}"""));
        rows.Add(new(Nul, anonymous, post, "/api/auth/refresh", HttpStatusCode.BadRequest, $$"""{"refreshToken":"a{{NulInJson}}b"}"""));
        rows.Add(new(BadToken, anonymous, post, "/api/auth/refresh", HttpStatusCode.Unauthorized, """{"refreshToken": "not-a-refresh-token"}"""));
        rows.Add(new(NoCredentials, anonymous, post, "/api/auth/token", HttpStatusCode.Unauthorized));
        rows.Add(new(NoCredentials, anonymous, post, "/api/auth/logout", HttpStatusCode.Unauthorized));
        rows.Add(new(BadToken, garbage, post, "/api/auth/logout", HttpStatusCode.Unauthorized));
    }

    private static void AddCatalog(List<HostileRequest> rows, HttpClient anonymous)
    {
        rows.Add(new(ForeignId, anonymous, HttpMethod.Get, "/api/courses/no-such-course", HttpStatusCode.NotFound));
        rows.Add(new(Nul, anonymous, HttpMethod.Get, "/api/courses/%00", HttpStatusCode.BadRequest, RefusedByKestrel: true));
    }

    private static HttpClient WithBearer(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static string Tamper(string token)
    {
        var chars = token.ToCharArray();
        var middle = chars.Length / 2;
        chars[middle] = chars[middle] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}
