using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>The app with every category logging at Trace into memory, so a test can read everything it wrote.</summary>
public sealed class LogCapturingApp : AppFixture
{
    public CapturedLogs Logs { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Logging:LogLevel:Default", "Trace"),
        new("Logging:LogLevel:Microsoft", "Trace"),
        new("Logging:LogLevel:Microsoft.AspNetCore", "Trace"),
        new("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Trace"),
    ];

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Logs);
}

/// <summary>Every entry the app logs, with its level, message, structured values and exception.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public sealed record Entry(LogLevel Level, string Category, string Text);

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Capture(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Capture(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            logs._entries.Enqueue(new Entry(logLevel, category, $"{formatter(state, exception)} {values} {exception}"));
        }
    }
}

/// <summary>
/// No token, cookie value or password ever reaches a log, at any level, whatever the request did; and a
/// question's text stays out of everything logged at Information and above (conventions.md).
/// </summary>
public sealed class SecretsNotLoggedTests(LogCapturingApp app) : IClassFixture<LogCapturingApp>
{
    [Fact]
    public async Task Signing_in_asking_streaming_and_polling_log_no_token_cookie_or_password_and_no_question_text()
    {
        var secrets = new List<string> { AppFixture.LearnerPassword };
        const string tutorQuestion = "Which unit should I use for font sizes in a component library?";
        const string guideQuestion = "Is there a course about indexes for someone who knows SQL basics?";

        // A learner with a bearer token: login, refresh, ask the tutor, stream and poll the answer.
        using var learner = app.CreateClient();
        var login = await AppFixture.LoginAsync(learner, "learner@example.com", AppFixture.LearnerPassword);
        var refreshed = await (await learner.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = login.RefreshToken }))
            .Content.ReadFromJsonAsync<AppFixture.TokenResponse>();
        secrets.AddRange([login.AccessToken, login.RefreshToken, refreshed!.AccessToken, refreshed.RefreshToken]);
        learner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", refreshed.AccessToken);
        var tutorJob = await ChatApi.AskAsync(learner, ChatApi.Tutor, tutorQuestion);
        using (var stream = await SseTestClient.OpenAsync(learner, tutorJob.StreamUrl))
        {
            await SseTestClient.ReadAsync(stream, stopAfter: e => e.Type is "completed" or "failed");
        }
        await ChatApi.WaitForTerminalAsync(learner, tutorJob.PollUrl);

        // A page signed in with the cookie trades it (with the antiforgery token) for a bearer token.
        var browserCookies = new CookieContainer();
        using var browser = app.CreateClient(cookies: browserCookies);
        await CookieSignIn.SignInAsync(browser, "learner@example.com", AppFixture.LearnerPassword);
        var tokenRequest = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token");
        var antiforgery = await CookieSignIn.AntiforgeryTokenAsync(browser);
        tokenRequest.Headers.Add(CookieSignIn.AntiforgeryHeader, antiforgery);
        var pageToken = await (await browser.SendAsync(tokenRequest)).Content.ReadFromJsonAsync<AppFixture.TokenResponse>();
        secrets.AddRange([antiforgery, pageToken!.AccessToken]);

        // A visitor with the visitor cookie asks the guide.
        var visitorCookies = new CookieContainer();
        using var visitor = app.CreateClient(cookies: visitorCookies);
        var guideJob = await ChatApi.AskAsync(visitor, ChatApi.Landing, guideQuestion);
        await ChatApi.WaitForTerminalAsync(visitor, guideJob.PollUrl);
        using (var stream = await SseTestClient.OpenAsync(visitor, guideJob.StreamUrl))
        {
            await SseTestClient.ReadAsync(stream, stopAfter: e => e.Type is "completed" or "failed");
        }

        secrets.AddRange(browserCookies.GetAllCookies().Concat(visitorCookies.GetAllCookies()).Select(c => c.Value).Where(v => v.Length >= 16));
        Assert.Contains(visitorCookies.GetAllCookies(), c => c.Name == "bj_visitor");
        Assert.True(secrets.Count >= 9, $"the flows produced the secrets to look for ({secrets.Count})");
        var entries = app.Logs.Entries;
        Assert.True(entries.Count > 50, $"the app logged at Trace while it worked ({entries.Count} entries)");
        foreach (var secret in secrets)
        {
            var leak = entries.FirstOrDefault(e => e.Text.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"a secret reached the log: [{leak?.Level}] {leak?.Category}");
        }
        var questionLeak = entries.FirstOrDefault(e => e.Level >= LogLevel.Information && (e.Text.Contains(tutorQuestion) || e.Text.Contains(guideQuestion)));
        Assert.True(questionLeak is null, $"a question's text was logged at {questionLeak?.Level} by {questionLeak?.Category}");
    }
}
