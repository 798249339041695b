using System.Net;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Rollout;

/// <summary>The admin rollout API: first state, changes in force at once, validation, permissions, audit.</summary>
public sealed class RolloutApiTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        using var admin = await RolloutClient.AdminAsync(app);
        await RolloutClient.PutAsync(admin, 80, 10, 10, killSwitch: false);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_first_state_comes_from_appsettings_and_percentages_sum_to_100()
    {
        using var admin = await RolloutClient.AdminAsync(app);

        var state = (await admin.GetFromJsonAsync<RolloutBody>("/api/admin/rollout", Json.Options))!;

        Assert.Equal(new AllocationBody(80, 10, 10), state.Allocation);
        Assert.False(state.KillSwitch);
    }

    [Fact]
    public async Task A_new_allocation_is_in_force_for_the_next_request()
    {
        using var admin = await RolloutClient.AdminAsync(app);
        using var visitor = app.CreateClient();

        await RolloutClient.PutAsync(admin, 0, 100, 0, killSwitch: false);
        var hybrid = await RolloutClient.DeliveryAsync(visitor);
        var accepted = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is a CSS custom property?");
        await RolloutClient.PutAsync(admin, 0, 0, 100, killSwitch: false);
        var polling = await RolloutClient.DeliveryAsync(visitor);

        Assert.Equal("hybrid", hybrid.Mode);
        Assert.Equal("hybrid", accepted.Delivery);
        Assert.Equal("polling", polling.Mode);
    }

    [Fact]
    public async Task Percentages_that_do_not_sum_to_100_are_refused()
    {
        using var admin = await RolloutClient.AdminAsync(app);

        var response = await admin.PutAsJsonAsync("/api/admin/rollout", new { allocation = new { sse = 50, hybrid = 10, polling = 10 }, killSwitch = false });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("100", (await response.Content.ReadFromJsonAsync<Problem>(Json.Options))!.Detail);
    }

    [Fact]
    public async Task Only_admins_may_read_or_change_the_rollout()
    {
        using var anonymous = app.CreateClient();
        using var learner = await app.CreateLearnerClientAsync();

        var unauthenticated = await anonymous.GetAsync("/api/admin/rollout");
        var forbidden = await learner.PutAsJsonAsync("/api/admin/rollout", new { allocation = new { sse = 0, hybrid = 0, polling = 100 }, killSwitch = true });

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Every_change_is_audited_with_who_from_and_to()
    {
        using var admin = await RolloutClient.AdminAsync(app);

        await RolloutClient.PutAsync(admin, 70, 20, 10, killSwitch: false);
        var audit = await RolloutClient.AuditAsync(admin, 5);

        var latest = audit[0];
        Assert.Equal("admin@example.com", latest.ChangedBy);
        Assert.Equal(70, latest.To.Allocation.Sse);
        Assert.NotNull(latest.From);
    }

    [Fact]
    public async Task Saving_the_state_already_in_force_answers_it_and_adds_no_audit_entry()
    {
        using var admin = await RolloutClient.AdminAsync(app);
        var before = await RolloutClient.AuditAsync(admin, 500);
        var current = (await admin.GetFromJsonAsync<RolloutBody>("/api/admin/rollout", Json.Options))!;

        var response = await admin.PutAsJsonAsync("/api/admin/rollout", new { allocation = new { sse = 80, hybrid = 10, polling = 10 }, killSwitch = false });
        var after = await RolloutClient.AuditAsync(admin, 500);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var state = (await response.Content.ReadFromJsonAsync<RolloutBody>(Json.Options))!;
        Assert.Equal(new AllocationBody(80, 10, 10), state.Allocation);
        Assert.False(state.KillSwitch);
        // Still the last real change: who made it and when, not the no-op save.
        Assert.Equal(current.UpdatedAt, state.UpdatedAt);
        Assert.Equal(current.UpdatedBy, state.UpdatedBy);
        Assert.Equal(before.Count, after.Count);
    }

    [Fact]
    public async Task The_admin_stream_sends_the_state_then_stats()
    {
        using var admin = await RolloutClient.AdminAsync(app);
        using var response = await SseTestClient.OpenAsync(admin, "/api/admin/rollout/stream");

        var events = await SseTestClient.ReadAsync(response, stopAfter: e => e.Type == "stats", timeout: TimeSpan.FromSeconds(10));

        Assert.Equal("changed", events[0].Type);
        Assert.Equal("stats", events[^1].Type);
        Assert.Contains("\"variant\":\"sse\"", events[^1].Data);
    }
}
