using System.Collections.Concurrent;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorJobs.Tests.Browser;

/// <summary>What the browser tests do on a page: sign in, ask a chat, record the requests made.</summary>
public static class ChatPage
{
    public const string CourseSlug = "html-css-foundations";

    /// <summary>Registers a learner of the test's own (through the API) and signs them in on the page.</summary>
    public static async Task SignInAsNewLearnerAsync(IPage page, AppFixture app, string returnUrl)
    {
        var email = $"learner-{Guid.NewGuid():N}@example.com";
        const string password = "Browser-Pass-1";
        using (var client = app.CreateClient())
        {
            (await client.PostAsJsonAsync("/api/auth/register", new { email, password })).EnsureSuccessStatusCode();
        }
        await SignInAsync(page, returnUrl, email, password);
    }

    public static async Task SignInAsync(IPage page, string returnUrl, string email, string password)
    {
        await page.GotoAsync($"/Account/Login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).PathAndQuery == returnUrl);
    }

    /// <summary>The question box, once the chat is interactive (it is disabled while only prerendered).</summary>
    public static async Task<ILocator> QuestionBoxAsync(IPage page)
    {
        var box = page.GetByLabel("Your question");
        await Expect(box).ToBeEnabledAsync();
        return box;
    }

    /// <summary>Types the question and presses Enter, as a keyboard user would.</summary>
    public static async Task AskAsync(IPage page, string question)
    {
        var box = await QuestionBoxAsync(page);
        await box.FillAsync(question);
        await box.PressAsync("Enter");
    }

    /// <summary>The exchange whose question is <paramref name="question"/>, once its answer is complete.</summary>
    public static ILocator Completed(IPage page, string question) =>
        page.Locator(".chat-turn[data-state=completed]").Filter(new() { Has = page.Locator(".chat-bubble-user", new() { HasTextString = question }) });

    /// <summary>The Tests/Browser/screenshots-out folder of the source checkout.</summary>
    public static string ScreenshotFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BlazorJobs.sln")))
            {
                var folder = Path.Combine(dir.FullName, "Tests", "Browser", "screenshots-out");
                Directory.CreateDirectory(folder);
                return folder;
            }
        }
        throw new InvalidOperationException("No BlazorJobs.sln above the test binaries.");
    }
}

/// <summary>Every request and WebSocket a page opens, with the headers it sent.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<IRequest> _requests = new();
    private readonly ConcurrentQueue<string> _webSockets = new();

    public RequestLog(IPage page)
    {
        page.Request += (_, request) => _requests.Enqueue(request);
        page.WebSocket += (_, socket) => _webSockets.Enqueue(socket.Url);
    }

    public IReadOnlyList<string> Urls => [.. _requests.Select(r => r.Url), .. _webSockets];

    public IReadOnlyList<string> WebSockets => [.. _webSockets];

    public IReadOnlyList<IRequest> To(string pathPart) => [.. _requests.Where(r => new Uri(r.Url).AbsolutePath.Contains(pathPart, StringComparison.Ordinal))];
}
