using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Measure;
using BlazorJobs.Bench.Report;
using Microsoft.Playwright;

namespace BlazorJobs.Bench.Targets;

/// <summary>One cold visit of "/": when the guide's input was enabled, what had been transferred by then, and whether the question sent then was answered.</summary>
/// <param name="DomContentLoadedMs">The page's own <c>DOMContentLoaded</c>, from navigation start.</param>
/// <param name="UsableMs">The guide's input enabled, from navigation start.</param>
/// <param name="BytesBeforeUsable">Bytes on the wire (Resource Timing <c>transferSize</c>: headers and encoded bodies) of the page and every request it started before it was usable, counted whole even when they finished later.</param>
internal sealed record FirstUse(double DomContentLoadedMs, double UsableMs, long BytesBeforeUsable, int RequestsBeforeUsable, bool Answered)
{
    public double AfterDomContentLoadedMs => UsableMs - DomContentLoadedMs;
}

/// <summary>One build's visits.</summary>
internal sealed record FirstUseBuild(string Name, string? NotMeasured, IReadOnlyList<FirstUse> Visits);

/// <summary>
/// Target 10: the landing guide's first use, in headless Chromium (the machine's), each visit in a fresh
/// browser context (cold cache), against the default run (a Debug build in Development, as
/// <c>dotnet run --project Server</c> serves it) and a published build (Release, Production).
/// </summary>
public static class LandingFirstUse
{
    private const int Visits = 5;
    private const string Question = "How do I centre an element with flexbox?";
    private static readonly string ChromiumPath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>
    /// Runs before the page's own scripts: notes when the guide's input is first enabled (whoever enables
    /// it), and keeps every resource entry (the default buffer of 250 would drop the default run's).
    /// </summary>
    private const string UsableProbe = """
        (() => {
          performance.setResourceTimingBufferSize(100000);
          const state = (window.__firstUse = {});
          const check = () => {
            const box = document.querySelector("form.chat-input textarea");
            if (state.usableAt === undefined && box && !box.disabled) {
              state.usableAt = performance.now();
              observer.disconnect();
            }
          };
          const observer = new MutationObserver(check);
          observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["disabled"] });
        })();
        """;

    private const string TransferBeforeUsable = """
        () => {
          const usableAt = window.__firstUse.usableAt;
          const navigation = performance.getEntriesByType("navigation")[0];
          const started = performance.getEntriesByType("resource").filter((r) => r.startTime <= usableAt);
          return {
            domContentLoaded: navigation.domContentLoadedEventStart,
            usableAt,
            bytes: navigation.transferSize + started.reduce((sum, r) => sum + r.transferSize, 0),
            requests: 1 + started.length,
          };
        }
        """;

    public static async Task<ReportSection> RunAsync(BenchContext context)
    {
        var artifacts = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(context.ServerDll)!, "..", "..", ".."));
        var builds = new (string Name, string Dll, string Environment, string BuildCommand)[]
        {
            ("default run (Debug build, Development)", Path.Combine(artifacts, "bin", "Server", "debug", "BlazorJobs.Server.dll"), "Development",
                $"dotnet build Server/Server.csproj -c Debug --artifacts-path {artifacts}"),
            ("published (Release, Production)", Path.Combine(artifacts, "publish", "Server", "release", "BlazorJobs.Server.dll"), "Production",
                $"dotnet publish Server/Server.csproj -c Release --artifacts-path {artifacts}"),
        };
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        var results = new List<FirstUseBuild>();
        foreach (var build in builds)
        {
            if (!File.Exists(build.Dll))
            {
                results.Add(new FirstUseBuild(build.Name, $"no build at `{build.Dll}` (bench.sh makes it: `{build.BuildCommand}`)", []));
                continue;
            }
            results.Add(await MeasureBuildAsync(context, browser, build.Name, build.Dll, build.Environment));
        }
        return LandingFirstUseReport.Describe(results, Visits);
    }

    private static async Task<FirstUseBuild> MeasureBuildAsync(BenchContext context, IBrowser browser, string name, string dll, string environment)
    {
        Progress.Line($"starting the server ({name})");
        var config = new ServerConfig(name, JobDurationMs: 300, WorkerConcurrency: 4, Deltas: 5)
        {
            Settings = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = environment },
        };
        await using var server = await ServerProcess.StartAsync(dll, context.Workspace.DataDirectory, config, context.LogFolder);
        // The server's own first-request costs (JIT, the first render) are not what a visitor's first use costs.
        await VisitAsync(browser, server.BaseAddress);
        var visits = new List<FirstUse>();
        for (var i = 0; i < Visits; i++)
        {
            visits.Add(await VisitAsync(browser, server.BaseAddress));
            Progress.Line($"  visit {i + 1}: usable {Format.Ms(visits[^1].AfterDomContentLoadedMs)} ms after DOMContentLoaded, {visits[^1].BytesBeforeUsable / 1024.0:0} KB before");
        }
        return new FirstUseBuild(name, null, visits);
    }

    private static async Task<FirstUse> VisitAsync(IBrowser browser, Uri baseAddress)
    {
        // A fresh context has an empty HTTP cache: a first visit. The probe is the benchmark's, not the page's, so the CSP does not apply to it.
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            BypassCSP = true,
        });
        await context.AddInitScriptAsync(UsableProbe);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync("/", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await page.WaitForFunctionAsync("() => window.__firstUse?.usableAt !== undefined", null, new PageWaitForFunctionOptions { PollingInterval = 20 });

        var box = page.Locator("form.chat-input textarea");
        await box.FillAsync(Question);
        await box.PressAsync("Enter");
        var answered = page.Locator(".chat-turn[data-state=completed]");
        await answered.First.WaitForAsync();

        var figures = await page.EvaluateAsync<System.Text.Json.JsonElement>(TransferBeforeUsable);
        double Figure(string name) => figures.GetProperty(name).GetDouble();
        return new FirstUse(Figure("domContentLoaded"), Figure("usableAt"), (long)Figure("bytes"), (int)Figure("requests"), await answered.CountAsync() == 1);
    }
}
