using Microsoft.Playwright;

namespace BlazorJobs.Bench.Client;

/// <summary>
/// Interactive Server circuits opened the only way they exist: a real browser (the machine's headless Chromium,
/// never a downloaded one) loading a page with an Interactive Server root, one circuit per page. A page counts
/// as open once its <c>_blazor</c> WebSocket has carried the SignalR handshake and the server's first messages
/// (the circuit's render batches and interop calls), so the circuit exists on the server, not just the markup.
/// </summary>
public sealed class ServerCircuits : IAsyncDisposable
{
    /// <summary>Handshake, then at least two of the server's own messages.</summary>
    private const int FramesWhenUp = 3;
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(90);
    private static readonly string ChromiumPath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly Uri _baseAddress;
    private readonly List<IBrowserContext> _contexts = [];

    private ServerCircuits(IPlaywright playwright, IBrowser browser, Uri baseAddress)
    {
        _playwright = playwright;
        _browser = browser;
        _baseAddress = baseAddress;
    }

    public int Open { get; private set; }

    public static async Task<ServerCircuits> LaunchAsync(Uri baseAddress)
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                // Background tabs would be throttled, but a throttled tab still holds its circuit: that is all that is measured.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            });
            return new ServerCircuits(playwright, browser, baseAddress);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens <paramref name="count"/> pages of <paramref name="path"/>, <paramref name="pagesPerContext"/> to a browser
    /// context (a context is one browser profile: its tabs share cookies and one events stream, as a visitor's tabs do).
    /// </summary>
    public async Task OpenAsync(string path, int count, int pagesPerContext)
    {
        IBrowserContext? context = null;
        var opening = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            if (context is null || i % pagesPerContext == 0)
            {
                // One context's pages load together (as tabs restored at once); contexts follow each other, which keeps 2 cores responsive.
                await Task.WhenAll(opening);
                opening.Clear();
                context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseAddress.ToString() });
                _contexts.Add(context);
            }
            opening.Add(OpenPageAsync(context, path));
        }
        await Task.WhenAll(opening);
    }

    private async Task OpenPageAsync(IBrowserContext context, string path)
    {
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)PageTimeout.TotalMilliseconds);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        page.WebSocket += (_, socket) =>
        {
            if (!socket.Url.Contains("/_blazor", StringComparison.Ordinal))
            {
                return;
            }
            var frames = 0;
            socket.FrameReceived += (_, _) =>
            {
                if (Interlocked.Increment(ref frames) >= FramesWhenUp)
                {
                    up.TrySetResult();
                }
            };
            socket.Close += (_, _) => up.TrySetException(new InvalidOperationException($"{path}: the circuit's WebSocket closed while opening."));
        };
        await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        await up.Task.WaitAsync(PageTimeout);
        lock (_contexts)
        {
            Open++;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
