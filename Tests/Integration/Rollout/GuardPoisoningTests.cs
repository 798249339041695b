using System.Net;
using System.Net.Http.Json;
using BlazorJobs.Server.Delivery;
using BlazorJobs.Server.Rollout;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Rollout;

/// <summary>
/// A guard that judges from 20 callers, behind enqueue and report limits raised so that one IP can file
/// hundreds of questions and reports a minute (as a classroom behind one NAT address may). The guard looks
/// only when the test asks (<see cref="DeliveryGuard.EvaluateAsync"/>), so it judges the whole of each phase.
/// </summary>
public sealed class GuardPoisoningApp : AppFixture
{
    public const int MinSample = 20;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Tutor:Provider", "Synthetic"),
        new("Tutor:Synthetic:DurationMs", "20"),
        new("Tutor:Synthetic:Deltas", "1"),
        new("Rollout:Guard:MinSample", MinSample.ToString()),
        new("Rollout:Guard:MarginPercent", "5"),
        new("Rollout:Guard:IntervalSeconds", "3600"),
        new("RateLimits:Landing:PermitsPerMinute", "100000"),
        new("RateLimits:Landing:PerIpPermitsPerMinute", "100000"),
        new("RateLimits:Reports:PermitsPerMinute", "100000"),
    ];
}

/// <summary>
/// Issue 10, case 4 (rollout.md, "Guarded rollout"): anonymous traffic cannot trip the kill switch for
/// everyone. A few visitor cookies on one IP file hundreds of questions nobody reads and hundreds of
/// <c>stream_error</c> reports; the guard judges only deliveries a client came for and counts each caller once,
/// so SSE stays on — while the same guard still trips when SSE really fails for many distinct callers.
/// </summary>
public sealed class GuardPoisoningTests(GuardPoisoningApp app) : IClassFixture<GuardPoisoningApp>
{
    private const int HonestSseCallers = 60;
    private const int HonestPollingCallers = 20;
    private const int AttackerCookies = 3;
    private const int UnreadQuestionsPerCookie = 100;
    private const int ReadQuestionsPerCookie = 10;
    private const int ReallyFailingCallers = 20;

    private const string Question = "How does the CSS cascade decide between two rules?";

    [Fact]
    public async Task Hundreds_of_unread_jobs_and_reports_from_a_few_cookies_leave_sse_on_while_a_real_failure_across_many_callers_trips_it()
    {
        using var admin = await RolloutClient.AdminAsync(app);
        var guard = app.Service<DeliveryGuard>();
        var tracker = app.Service<DeliveryTracker>();

        // Arrange: a population whose answers arrive, enough for SSE to be judged (20 polling, 60 SSE callers).
        await RolloutClient.PutAsync(admin, 0, 0, 100, killSwitch: false);
        await ForEachCallerAsync(HonestPollingCallers, async visitor =>
        {
            var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, Question);
            Assert.Equal("COMPLETED", (await ChatApi.WaitForTerminalAsync(visitor, job.PollUrl)).Status);
        });
        await RolloutClient.PutAsync(admin, 100, 0, 0, killSwitch: false);
        await ForEachCallerAsync(HonestSseCallers, async visitor =>
        {
            var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, Question);
            var events = await SseTestClient.ReadJobStreamAsync(visitor, job.StreamUrl);
            Assert.Equal("completed", events[^1].Type);
        });
        await tracker.FlushAsync(CancellationToken.None);

        // Act: the attack. Three cookies on one IP each ask 110 questions, read 10 of them (so those are
        // judged), and file stream_error twice about every one of them.
        var attackers = Enumerable.Range(0, AttackerCookies).Select(_ => app.CreateClient()).ToList();
        try
        {
            var attackJobs = await Task.WhenAll(attackers.Select(AttackAsync));
            var attackJobIds = attackJobs.SelectMany(jobs => jobs).ToArray();
            await Eventually.HoldsAsync(
                async () => (long)(await app.ScalarAsync("SELECT count(*) FROM jobs WHERE id = ANY(@ids) AND status = 'COMPLETED'", ("ids", attackJobIds)))! == attackJobIds.Length,
                "the worker to answer every attack question", TimeSpan.FromSeconds(60));
            // Their answers finished longer ago than the 30 s deadline, without being read: before this
            // rule, each of the 300 unread ones was a failed SSE delivery.
            await app.ScalarAsync("UPDATE jobs SET completed_at = completed_at - interval '40 seconds' WHERE id = ANY(@ids)", ("ids", attackJobIds));
            await tracker.FlushAsync(CancellationToken.None);

            // Assert: one report per job and kind is kept, however often it is filed…
            Assert.Equal((long)attackJobIds.Length,
                await app.ScalarAsync("SELECT count(*) FROM delivery_reports WHERE job_id = ANY(@ids)", ("ids", attackJobIds)));
            // …the guard judges the attackers' read questions only, three callers among 63, and stays off.
            Assert.Null(await guard.EvaluateAsync(CancellationToken.None));
            var sse = guard.Latest!.Single(v => v.Variant == "sse");
            Assert.Equal(HonestSseCallers + AttackerCookies, sse.Callers);
            Assert.Equal(AttackerCookies, sse.FailedCallers);
            Assert.Equal(HonestSseCallers + (AttackerCookies * ReadQuestionsPerCookie), sse.Deliveries);
            Assert.Equal(AttackerCookies * ReadQuestionsPerCookie, sse.Failures);
            Assert.Equal(HonestSseCallers + (AttackerCookies * (UnreadQuestionsPerCookie + ReadQuestionsPerCookie)), sse.QuestionsAnswered);
            // Counted per delivery, the same evidence would have tripped the guard (30 of 90 failed: 33%).
            Assert.True(100.0 * sse.Failures / sse.Deliveries > 5, "the attack is strong enough to trip a per-delivery guard");
            Assert.True(sse.FailureRate <= 5, $"per caller the attack weighs {sse.FailureRate:0.0}%, within the margin");
            var state = (await admin.GetFromJsonAsync<RolloutBody>("/api/admin/rollout", Json.Options))!;
            Assert.False(state.KillSwitch);
            Assert.Null(state.Guard);
            using (var bystander = app.CreateClient())
            {
                Assert.Equal(new DeliveryBody("sse", KillSwitch: false), await RolloutClient.DeliveryAsync(bystander));
            }
        }
        finally
        {
            attackers.ForEach(a => a.Dispose());
        }

        // Act: SSE really fails for twenty more callers (their streams are cut; each says so once, then polls).
        await ForEachCallerAsync(ReallyFailingCallers, async visitor =>
        {
            var job = await ChatApi.AskAsync(visitor, ChatApi.Landing, Question);
            using (var stream = await SseTestClient.OpenAsync(visitor, job.StreamUrl))
            {
                Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            }
            var report = await visitor.PostAsJsonAsync("/api/delivery/reports", new { jobId = job.JobId, mode = "sse", kind = "stream_error", detail = "network" });
            Assert.Equal(HttpStatusCode.NoContent, report.StatusCode);
            Assert.Equal("COMPLETED", (await ChatApi.WaitForTerminalAsync(visitor, job.PollUrl)).Status);
        });

        await tracker.FlushAsync(CancellationToken.None);
        var trip = await guard.EvaluateAsync(CancellationToken.None);

        // Assert: 23 of 83 callers failed (27.7%) against polling's 0 of 20: the guard trips, and says why.
        Assert.NotNull(trip);
        var tripped = (await admin.GetFromJsonAsync<RolloutBody>("/api/admin/rollout", Json.Options))!;
        Assert.True(tripped.KillSwitch);
        Assert.Equal(trip.VariantSample, tripped.Guard!.VariantSample);
        Assert.Equal("sse", trip.Variant);
        Assert.Equal(HonestSseCallers + AttackerCookies + ReallyFailingCallers, trip.VariantSample);
        Assert.Equal(AttackerCookies + ReallyFailingCallers, trip.VariantFailedCallers);
        Assert.Equal((HonestPollingCallers, 0), (trip.PollingSample, trip.PollingFailedCallers));
        Assert.Equal((5.0, 5.0, GuardPoisoningApp.MinSample), (trip.WindowMinutes, trip.MarginPercent, trip.MinSample));
        var audit = await GuardScenario.LatestAuditAsync(admin);
        Assert.Equal("guard", audit.ChangedBy);
        Assert.Contains("sse failure rate 27.7% (23 of 83 callers) vs polling 0.0% (0 of 20 callers) over the last 5 min", audit.Reason);
    }

    /// <summary>One attacking cookie: questions it never reads, a few it reads, and two stream_error reports about each.</summary>
    private static async Task<List<Guid>> AttackAsync(HttpClient attacker)
    {
        var jobs = new List<Guid>();
        for (var i = 0; i < UnreadQuestionsPerCookie + ReadQuestionsPerCookie; i++)
        {
            var job = await ChatApi.AskAsync(attacker, ChatApi.Landing, $"{Question} ({i})");
            Assert.Equal("sse", job.Delivery);
            if (i < ReadQuestionsPerCookie)
            {
                Assert.Equal(HttpStatusCode.OK, (await attacker.GetAsync(job.PollUrl)).StatusCode);
            }
            for (var report = 0; report < 2; report++)
            {
                var response = await attacker.PostAsJsonAsync("/api/delivery/reports", new { jobId = job.JobId, mode = "sse", kind = "stream_error", detail = "network" });
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            }
            jobs.Add(job.JobId);
        }
        return jobs;
    }

    /// <summary>Runs <paramref name="count"/> distinct visitors (a cookie each), a few at a time.</summary>
    private async Task ForEachCallerAsync(int count, Func<HttpClient, Task> act)
    {
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                using var visitor = app.CreateClient();
                await act(visitor);
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
