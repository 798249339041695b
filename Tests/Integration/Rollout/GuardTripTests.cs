using System.Net;
using System.Net.Http.Json;
using BlazorJobs.Server.Rollout;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Rollout;

/// <summary>A server whose guard judges after a handful of deliveries and looks often, so a trip happens within a test.</summary>
public class QuickGuardApp : AppFixture
{
    public const int MinSample = 4;

    protected virtual string Action => "KillSwitch";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Tutor:Provider", "Synthetic"),
        new("Tutor:Synthetic:DurationMs", "20"),
        new("Tutor:Synthetic:Deltas", "1"),
        new("Rollout:Guard:MinSample", MinSample.ToString()),
        new("Rollout:Guard:MarginPercent", "5"),
        new("Rollout:Guard:IntervalSeconds", "0.2"),
        new("Rollout:Guard:Action", Action),
    ];
}

public sealed class NotifyOnlyGuardApp : QuickGuardApp
{
    protected override string Action => "NotifyOnly";
}

/// <summary>
/// The guarded rollout end to end (rollout.md): real deliveries by polling and by SSE, SSE's clients report
/// the streams they gave up on, and the guard — comparing failure rates once the minimum sample is in —
/// stops SSE for everyone (or only notifies), audited with the figures that caused it.
/// </summary>
public sealed class GuardTripTests(QuickGuardApp app) : IClassFixture<QuickGuardApp>
{
    [Fact]
    public async Task Sse_failing_well_above_polling_trips_the_kill_switch_and_the_trip_is_audited_with_its_figures()
    {
        using var admin = await RolloutClient.AdminAsync(app);

        await GuardScenario.DeliverAsync(app, admin, "polling", QuickGuardApp.MinSample, reportStreamError: false);
        await GuardScenario.DeliverAsync(app, admin, "sse", QuickGuardApp.MinSample - 1, reportStreamError: true);
        // Every SSE delivery so far failed, but one caller short of the minimum sample SSE is not judged yet.
        Assert.Null(await app.Service<DeliveryGuard>().EvaluateAsync(CancellationToken.None));
        Assert.Null((await admin.GetFromJsonAsync<RolloutBody>("/api/admin/rollout", Json.Options))!.Guard);

        await GuardScenario.DeliverAsync(app, admin, "sse", 1, reportStreamError: true);
        var tripped = await GuardScenario.WaitForTripAsync(admin);

        Assert.True(tripped.KillSwitch, "the guard's action turns the kill switch on");
        Assert.Equal("sse", tripped.Guard!.Variant);
        Assert.Equal(100, tripped.Guard.VariantFailureRate);
        Assert.Equal(0, tripped.Guard.PollingFailureRate);
        Assert.Equal(QuickGuardApp.MinSample, tripped.Guard.VariantSample);
        Assert.Equal(QuickGuardApp.MinSample, tripped.Guard.VariantFailedCallers);
        using var visitor = app.CreateClient();
        Assert.Equal(new DeliveryBody("polling", KillSwitch: true), await RolloutClient.DeliveryAsync(visitor));

        var trip = await GuardScenario.LatestAuditAsync(admin);
        Assert.Equal("guard", trip.ChangedBy);
        Assert.Contains($"sse failure rate 100.0% ({QuickGuardApp.MinSample} of {QuickGuardApp.MinSample} callers)", trip.Reason);
        Assert.Contains("polling 0.0%", trip.Reason);
        Assert.False(trip.From!.KillSwitch);
        Assert.True(trip.To.KillSwitch);

        // Only an admin turns it off again: an admin's change clears the trip along with the switch.
        var cleared = await RolloutClient.PutAsync(admin, 80, 10, 10, killSwitch: false);
        Assert.False(cleared.KillSwitch);
        Assert.Null(cleared.Guard);
    }
}

public sealed class NotifyOnlyGuardTests(NotifyOnlyGuardApp app) : IClassFixture<NotifyOnlyGuardApp>
{
    [Fact]
    public async Task A_notify_only_guard_records_and_shows_the_trip_but_leaves_sse_on()
    {
        using var admin = await RolloutClient.AdminAsync(app);

        await GuardScenario.DeliverAsync(app, admin, "polling", QuickGuardApp.MinSample, reportStreamError: false);
        await GuardScenario.DeliverAsync(app, admin, "sse", QuickGuardApp.MinSample, reportStreamError: true);
        var tripped = await GuardScenario.WaitForTripAsync(admin);

        Assert.False(tripped.KillSwitch);
        Assert.Equal("NotifyOnly", tripped.Guard!.Action);
        Assert.Equal("guard", (await GuardScenario.LatestAuditAsync(admin)).ChangedBy);
        using var visitor = app.CreateClient();
        Assert.False((await RolloutClient.DeliveryAsync(visitor)).KillSwitch);
    }
}

/// <summary>The steps the guard tests share: deliveries in a chosen mode, and reading the guard's verdict.</summary>
internal static class GuardScenario
{
    /// <summary>
    /// Puts every user in <paramref name="mode"/>, then has <paramref name="count"/> visitors each ask and
    /// receive an answer; with <paramref name="reportStreamError"/>, each says its stream failed, as the module
    /// does once per stream it gives up on.
    /// </summary>
    public static async Task DeliverAsync(AppFixture app, HttpClient admin, string mode, int count, bool reportStreamError)
    {
        await RolloutClient.PutAsync(admin, mode == "sse" ? 100 : 0, mode == "hybrid" ? 100 : 0, mode == "polling" ? 100 : 0, killSwitch: false);
        for (var i = 0; i < count; i++)
        {
            using var visitor = app.CreateClient();
            var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, $"How does the CSS cascade decide between two rules? ({mode} {i})");
            Assert.Equal(mode, job.Delivery);
            Assert.Equal("COMPLETED", (await ChatApi.WaitForTerminalAsync(visitor, job.PollUrl)).Status);
            if (reportStreamError)
            {
                var report = await visitor.PostAsJsonAsync("/api/delivery/reports", new { jobId = job.JobId, mode, kind = "stream_error", detail = "network" });
                Assert.Equal(HttpStatusCode.NoContent, report.StatusCode);
            }
        }
    }

    public static Task<RolloutBody> WaitForTripAsync(HttpClient admin) =>
        Eventually.ReturnsAsync(
            async () => (await admin.GetFromJsonAsync<RolloutBody>("/api/admin/rollout", Json.Options))!,
            state => state.Guard is not null,
            "the guard to trip");

    public static async Task<AuditEntry> LatestAuditAsync(HttpClient admin) => (await RolloutClient.AuditAsync(admin, 1)).Single();
}
