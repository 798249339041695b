using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using BlazorJobs.App.Services;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Operations;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Operations;

/// <summary>The operations API on two real instances over one database: permissions, snapshot, retry/cancel, audit, stream.</summary>
public sealed class AdminJobsApiTests(TwoInstancesFixture instances) : IClassFixture<TwoInstancesFixture>
{
    private AppFixture App => instances.First;

    private async Task<HttpClient> AdminAsync(Uri? baseAddress = null)
    {
        var client = App.CreateClient();
        if (baseAddress is not null)
        {
            client.BaseAddress = baseAddress;
        }
        var token = await AppFixture.LoginAsync(client, "admin@example.com", AppFixture.AdminPassword);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return client;
    }

    private static async Task<JobsSnapshot> SnapshotAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JobsSnapshot>("/api/admin/jobs", Json.Options))!;

    [Fact]
    public async Task Anonymous_callers_get_401_and_learners_403_on_every_admin_jobs_endpoint()
    {
        using var anonymous = App.CreateClient();
        using var learner = await App.CreateLearnerClientAsync();
        var id = Guid.NewGuid();

        foreach (var client in new[] { anonymous, learner })
        {
            var expected = client == anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
            Assert.Equal(expected, (await client.GetAsync("/api/admin/jobs")).StatusCode);
            Assert.Equal(expected, (await SseTestClient.OpenAsync(client, "/api/admin/jobs/stream")).StatusCode);
            Assert.Equal(expected, (await client.PostAsync($"/api/admin/jobs/{id}/retry", null)).StatusCode);
            Assert.Equal(expected, (await client.PostAsync($"/api/admin/jobs/{id}/cancel", null)).StatusCode);
        }
    }

    [Fact]
    public async Task Unknown_ids_get_404_and_malformed_ids_400()
    {
        using var admin = await AdminAsync();

        var retry = await admin.PostAsync($"/api/admin/jobs/{Guid.NewGuid()}/retry", null);
        var cancel = await admin.PostAsync($"/api/admin/jobs/{Guid.NewGuid()}/cancel", null);
        var malformed = await admin.PostAsync("/api/admin/jobs/not-a-job/retry", null);

        Assert.Equal(HttpStatusCode.NotFound, retry.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_failed_job_appears_with_its_error_and_claiming_instance_but_not_its_question_and_an_admin_retry_is_audited()
    {
        using var admin = await AdminAsync();
        using var visitor = App.CreateClient();
        const string question = "What does a CSS grid template area do, for the dashboard privacy test?";
        var accepted = await ChatApi.AskAsync(visitor, ChatApi.Landing, question);
        await ChatApi.WaitForTerminalAsync(visitor, accepted.PollUrl);
        var firstInstance = (await admin.GetAsync("/health")).Headers.GetValues(InstanceIdentity.Header).Single();

        var snapshot = await Eventually.ReturnsAsync(() => SnapshotAsync(admin), s => s.Failed.Any(f => f.Id == accepted.JobId), "the failed job in the snapshot");
        var raw = await admin.GetStringAsync("/api/admin/jobs");
        var failed = snapshot.Failed.Single(f => f.Id == accepted.JobId);
        var cancelFinished = await admin.PostAsync($"/api/admin/jobs/{accepted.JobId}/cancel", null);
        var retry = await admin.PostAsync($"/api/admin/jobs/{accepted.JobId}/retry", null);

        Assert.Contains("Synthetic failure", failed.Error);
        Assert.Equal(firstInstance, failed.ClaimedBy);
        Assert.True(snapshot.Depth["FAILED"] >= 1);
        Assert.DoesNotContain("grid template area", raw);
        Assert.Equal(HttpStatusCode.Conflict, cancelFinished.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(1L, await App.ScalarAsync(
            "SELECT count(*) FROM admin_audit WHERE job_id = @id AND action = 'retry' AND admin = 'admin@example.com'", ("id", accepted.JobId)));
        var retried = await ChatApi.WaitForTerminalAsync(visitor, accepted.PollUrl);
        Assert.Equal(2, retried.Attempt);
    }

    [Fact]
    public async Task An_admin_cancels_a_pending_job_of_any_learner()
    {
        using var admin = await AdminAsync();
        // A job not due for an hour: PENDING for as long as the test needs, whatever the worker does.
        var jobId = Guid.CreateVersion7();
        await App.ScalarAsync(
            """
            WITH s AS (INSERT INTO chat_sessions (id, kind, owner_key, title, created_at, updated_at)
                       VALUES (gen_random_uuid(), 'landing', 'visitor:someone-else', 't', now(), now()) RETURNING id)
            INSERT INTO jobs (id, kind, owner_key, session_id, question, status, attempt, max_attempts, run_after, last_event_seq, delivery_mode, created_at)
            SELECT @id, 'landing', 'visitor:someone-else', s.id, 'q', 'PENDING', 1, 1, now() + interval '1 hour', 0, 'sse', now() FROM s
            """, ("id", jobId));

        var cancel = await admin.PostAsync($"/api/admin/jobs/{jobId}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("CANCELLED", await App.ScalarAsync("SELECT status FROM jobs WHERE id = @id", ("id", jobId)));
        Assert.Equal(1L, await App.ScalarAsync("SELECT count(*) FROM admin_audit WHERE job_id = @id AND action = 'cancel'", ("id", jobId)));
    }

    [Fact]
    public async Task Both_instances_appear_in_the_snapshot_of_either_with_their_own_state_and_the_stream_sends_it()
    {
        using var onFirst = await AdminAsync();
        using var onSecond = await AdminAsync(instances.SecondAddress);
        var firstId = (await onFirst.GetAsync("/health")).Headers.GetValues(InstanceIdentity.Header).Single();
        var secondId = (await onSecond.GetAsync("/health")).Headers.GetValues(InstanceIdentity.Header).Single();

        // Each instance times its own probe NOTIFY until its LISTEN hears it (the listener's lag).
        var snapshot = await Eventually.ReturnsAsync(() => SnapshotAsync(onSecond),
            s => s.Instances.Any(i => i.Id == firstId && i.State.Listener.LagMs is not null) && s.Instances.Any(i => i.Id == secondId && i.State.Listener.LagMs is not null),
            "both instances in the second's snapshot, each with its listener's lag");
        using var stream = await SseTestClient.OpenAsync(onFirst, "/api/admin/jobs/stream");
        var events = await SseTestClient.ReadAsync(stream, e => e.Type == "snapshot" && e.Data.Contains(secondId));

        Assert.NotEqual(firstId, secondId);
        var first = snapshot.Instances.Single(i => i.Id == firstId);
        var second = snapshot.Instances.Single(i => i.Id == secondId);
        Assert.True(first.State.WorkerRunning);
        Assert.False(second.State.WorkerRunning);
        Assert.True(first.State.Listener.Connected && second.State.Listener.Connected);
        Assert.InRange(first.State.Listener.LagMs!.Value, 0.01, ListenerLagProbe.Timeout.TotalMilliseconds);
        Assert.False(first.Stale || second.Stale);
        Assert.NotNull(snapshot.Database);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Contains(firstId, events.Last().Data);
    }
}
