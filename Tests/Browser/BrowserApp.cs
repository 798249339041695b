using System.Globalization;
using BlazorJobs.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorJobs.Tests.Browser;

/// <summary>
/// The real app (see <see cref="AppFixture"/>) plus one headless Chromium shared by a test class.
/// Playwright drives the machine's Chromium and never downloads a browser of its own.
/// </summary>
public abstract class BrowserApp : AppFixture, IAsyncLifetime
{
    /// <summary>The Chromium from Debian's packages (test.sh installs it when missing).</summary>
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"No Chromium at {ChromiumPath}: install it with 'apt-get install -y chromium' (test.sh does) or set CHROMIUM_PATH.");
        }
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        // A WebAssembly island boots in a few seconds, more on a busy two-core machine.
        Assertions.SetDefaultExpectTimeout(30_000);
        await InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        await DisposeAsync();
    }

    /// <summary>A fresh browser context (its own cookies and storage: one visitor) and a page in it.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }
}

/// <summary>
/// The app most browser tests share: answers stream in pieces slowly enough for a test to watch them
/// arrive, over plain SSE. Each test signs in as a learner of its own, so tests do not see each other's conversations.
/// </summary>
public sealed class StreamingBrowserApp : BrowserApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Tutor:Retrieval:StreamDelayMs", "40"),
        new("Delivery:DefaultMode", "sse"),
    ];
}

/// <summary>
/// The Synthetic tutor answering "part1 part2 … partN" in <c>N</c> pieces over a set time: long enough
/// for a test to act while an answer is streaming, and a whole answer a test can compare exactly.
/// </summary>
public abstract class SyntheticTutorBrowserApp(int deltas, int durationMs) : BrowserApp
{
    public string FullAnswer { get; } = string.Join(' ', Enumerable.Range(1, deltas).Select(i => $"part{i}"));

    /// <summary>Settings of the fixture on top of the Synthetic tutor's.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> MoreSettings => [];

    protected sealed override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Tutor:Provider", "Synthetic"),
        new("Tutor:Synthetic:DurationMs", durationMs.ToString(CultureInfo.InvariantCulture)),
        new("Tutor:Synthetic:Deltas", deltas.ToString(CultureInfo.InvariantCulture)),
        .. MoreSettings,
    ];
}

/// <summary>Everyone gets hybrid delivery: SSE first, polling when the stream fails.</summary>
public sealed class HybridBrowserApp : BrowserApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Delivery:DefaultMode", "hybrid")];
}

/// <summary>
/// Browser tests run one class at a time within a collection (each drives a Chromium, and the machine
/// has two cores) and share one app, so it starts once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<StreamingBrowserApp>
{
    public const string Name = "Browser";
}

/// <summary>
/// The axe checks, in a collection (and an app) of their own: one chain of every browser test was the
/// longest path of the suite; two chains, each with one Chromium at a time, halve it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AccessibilityCollection : ICollectionFixture<StreamingBrowserApp>
{
    public const string Name = "Accessibility";
}
