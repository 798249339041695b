using System.Text.Json;
using AngleSharp.Dom;
using BlazorJobs.App.Components.Pages.Admin;
using BlazorJobs.App.Services;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorJobs.Tests.Components;

/// <summary>
/// The operations dashboard over a fake <see cref="IJobsAdmin"/> and the mocked admin stream
/// (<see cref="AdminStreamTestContext"/>; a test plays the stream's snapshots): what an admin sees and what their clicks do.
/// </summary>
public sealed class JobsDashboardTests : AdminStreamTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 17, 0, 0, TimeSpan.Zero);
    private static readonly Guid Running = Guid.Parse("55555555-2222-3333-4444-555511111111");
    private static readonly Guid Rescued = Guid.Parse("55555555-2222-3333-4444-555599999999");
    private static readonly Guid Broken = Guid.Parse("55555555-2222-3333-4444-5555abcdef01");

    private readonly FakeJobsAdmin _jobs;

    public JobsDashboardTests() : this(new FakeJobsAdmin())
    {
    }

    private JobsDashboardTests(FakeJobsAdmin jobs) : base(services => services.AddSingleton<IJobsAdmin>(jobs))
    {
        _jobs = jobs;
    }

    private AdminStreamCallbacks Callbacks => CallbacksReference.Value;

    /// <summary>A snapshot as the stream hands it over: JSON, read back by the page.</summary>
    private static JsonElement Json(JobsSnapshot snapshot) => JsonSerializer.SerializeToElement(snapshot, AdminStreamConnection.Json);

    private Task SnapshotAsync(IRenderedComponent<JobsDashboard> cut, JobsSnapshot snapshot) => cut.InvokeAsync(() => Callbacks.OnEvent("snapshot", Json(snapshot)));

    private static JobsSnapshot Snapshot() => new(
        Now,
        new Dictionary<string, long> { ["PENDING"] = 7, ["PROCESSING"] = 2, ["COMPLETED"] = 40, ["FAILED"] = 1, ["CANCELLED"] = 0 },
        OldestPendingAgeSeconds: 95,
        InFlight: [new InFlightJob(Running, "tutor", 1, 3, "web-1:42:aaaaaa", Now.AddSeconds(-4), Now.AddSeconds(26))],
        ExpiredLeases: [new InFlightJob(Rescued, "landing", 2, 3, "web-2:7:bbbbbb", Now.AddSeconds(-60), Now.AddSeconds(-30))],
        Failed: [new FailedJob(Broken, "tutor", 3, "The tutor could not answer this question right now.", Now.AddMinutes(-2), "web-1:42:aaaaaa")],
        new ThroughputView(10, [new ThroughputMinute(Now.AddMinutes(-1), 12, 1)], 8, 40, 900, 2500),
        Instances:
        [
            new InstanceView("web-1:42:aaaaaa", Now.AddHours(-1), Now.AddSeconds(-1), Stale: false, new InstanceState(
                new ListenerState(true, 1, 300, Now.AddSeconds(-2), LagMs: 1.26), true, 4,
                new Dictionary<string, long> { ["job"] = 3, ["admin-jobs"] = 1 }, new Dictionary<string, long> { ["COMPLETED"] = 40 }, null)),
            new InstanceView("web-2:7:bbbbbb", Now.AddHours(-2), Now.AddMinutes(-5), Stale: true, new InstanceState(
                new ListenerState(false, 0, 0, null), false, 0, new Dictionary<string, long>(), new Dictionary<string, long>(),
                new EmbeddedDatabaseState(39201, "/var/lib/blazorjobs/postgres", true))),
        ],
        new DatabaseView("17.2", Now.AddDays(-1), 50L * 1024 * 1024, 12, 100));

    private static string Text(IElement element) => System.Text.RegularExpressions.Regex.Replace(element.TextContent, @"\s+", " ").Trim();

    private static IElement Table(IRenderedComponent<JobsDashboard> cut, string heading) =>
        cut.FindAll(".mud-paper").Single(p => p.QuerySelector("h2")?.TextContent.StartsWith(heading, StringComparison.Ordinal) == true);

    private static Task ClickAsync(IRenderedComponent<JobsDashboard> cut, string selector) =>
        cut.InvokeAsync(() => { _ = cut.Find(selector).ClickAsync(new MouseEventArgs()); });

    [Fact]
    public async Task Waits_for_the_first_snapshot_then_shows_the_queue_leases_failures_and_every_instance()
    {
        var cut = Render<JobsDashboard>();
        Assert.NotNull(cut.Find("[aria-label='Waiting for the first snapshot']"));
        Assert.Equal("connecting…", Text(cut.Find("[role=status].jobs-stream-status")).ToLowerInvariant());

        await SnapshotAsync(cut, Snapshot());

        Assert.Empty(cut.FindAll("[aria-label='Waiting for the first snapshot']"));
        Assert.Equal("Live", Text(cut.Find("[role=status].jobs-stream-status")));
        Assert.Equal("7", Text(cut.Find(".jobs-figure[data-status=PENDING] dd")));
        Assert.Equal("95 s", Text(cut.Find(".jobs-oldest-pending dd")));
        var inFlight = Text(Table(cut, "In flight"));
        Assert.Contains("11111111", inFlight);
        Assert.Contains("web-1:42:aaaaaa", inFlight);
        Assert.Contains("in 26 s", inFlight);
        var rescued = Text(Table(cut, "Expired leases"));
        Assert.Contains("99999999", rescued);
        Assert.Contains("30 s ago", rescued);
        Assert.Contains("The tutor could not answer this question right now.", Text(Table(cut, "Failed")));
        Assert.NotNull(cut.Find(".jobs-throughput-chart[role=img] svg")); // drawn, with the table's figures beside it
        Assert.Contains("median 8 ms, p95 40 ms", Text(cut.FindAll(".jobs-figure").Single(f => f.TextContent.Contains("Wake-up"))));
        var stale = cut.FindAll(".jobs-instances tbody tr").Single(r => r.TextContent.Contains("web-2:7:bbbbbb"));
        Assert.Contains("jobs-instance-stale", stale.ClassName);
        Assert.Contains("stale", Text(stale));
        Assert.Contains("DOWN", Text(stale));
        Assert.Contains("port 39201", Text(stale));
        var live = cut.FindAll(".jobs-instances tbody tr").Single(r => r.TextContent.Contains("web-1:42:aaaaaa"));
        Assert.DoesNotContain("jobs-instance-stale", live.ClassName ?? "");
        Assert.Contains("admin-jobs 1, job 3", Text(live));
        Assert.Contains("lag 1.3 ms", Text(live));
        Assert.Contains("PostgreSQL 17.2", Text(cut.Find(".jobs-database")));
    }

    [Fact]
    public async Task Retry_acts_at_once_as_the_signed_in_admin_and_says_what_happened()
    {
        var cut = Render<JobsDashboard>();
        await SnapshotAsync(cut, Snapshot());

        await ClickAsync(cut, "button[aria-label='Retry job abcdef01']");

        cut.WaitForAssertion(() => Assert.Equal([("retry", Broken, "admin@example.com")], _jobs.Calls));
        cut.WaitForAssertion(() => Assert.Contains("Job abcdef01 retried", cut.Find(".jobs-action-notice").TextContent));

        _jobs.Next = JobActionResult.Conflict;
        await ClickAsync(cut, "button[aria-label='Retry job abcdef01']");
        cut.WaitForAssertion(() => Assert.Contains("Only a failed or cancelled job", cut.Find(".jobs-action-notice").TextContent));
    }

    [Fact]
    public async Task Cancel_asks_first_and_does_nothing_when_the_admin_keeps_the_job()
    {
        var cut = Render<JobsDashboard>();
        await SnapshotAsync(cut, Snapshot());

        await ClickAsync(cut, "button[aria-label='Cancel job 11111111']");
        cut.WaitForAssertion(() => Assert.Contains("Cancel job 11111111?", cut.Find(".mud-dialog").TextContent));
        await cut.InvokeAsync(() => { _ = cut.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Keep it").ClickAsync(new MouseEventArgs()); });
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        Assert.Empty(_jobs.Calls);

        await ClickAsync(cut, "button[aria-label='Cancel job 99999999']");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog")));
        await cut.InvokeAsync(() => { _ = cut.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Cancel the job").ClickAsync(new MouseEventArgs()); });

        cut.WaitForAssertion(() => Assert.Equal([("cancel", Rescued, "admin@example.com")], _jobs.Calls));
        cut.WaitForAssertion(() => Assert.Contains("Job 99999999 cancelled", cut.Find(".jobs-action-notice").TextContent));
    }

    [Fact]
    public async Task Nothing_can_be_clicked_while_prerendered_and_a_dropped_stream_is_said()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var cut = Render<JobsDashboard>();
        // Prerendered: no stream yet. Play one snapshot through a listener as the circuit would get it later.
        await cut.InvokeAsync(() => ((IAdminStreamListener)cut.Instance).OnEventAsync("snapshot", Json(Snapshot())));
        Assert.True(cut.Find("button[aria-label='Retry job abcdef01']").HasAttribute("disabled"));

        await cut.InvokeAsync(() => ((IAdminStreamListener)cut.Instance).OnConnectionAsync(AdminStreamStatus.Reconnecting));
        Assert.Equal("Reconnecting…", Text(cut.Find("[role=status].jobs-stream-status")));
    }

    private sealed class FakeJobsAdmin : IJobsAdmin
    {
        public List<(string Action, Guid JobId, string Admin)> Calls { get; } = [];

        public JobActionResult Next { get; set; } = JobActionResult.Done;

        public Task<JobActionResult> RetryAsync(Guid jobId, string admin, CancellationToken cancellationToken = default) => Record("retry", jobId, admin);

        public Task<JobActionResult> CancelAsync(Guid jobId, string admin, CancellationToken cancellationToken = default) => Record("cancel", jobId, admin);

        private Task<JobActionResult> Record(string action, Guid jobId, string admin)
        {
            Calls.Add((action, jobId, admin));
            return Task.FromResult(Next);
        }
    }
}
