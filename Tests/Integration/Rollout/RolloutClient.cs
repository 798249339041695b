using System.Net.Http.Headers;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Rollout;

public sealed record AllocationBody(int Sse, int Hybrid, int Polling);

public sealed record RolloutBody(AllocationBody Allocation, bool KillSwitch, GuardBody? Guard, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>A guard trip as the API shows it; samples are distinct callers judged over the window.</summary>
public sealed record GuardBody(
    string Variant, double VariantFailureRate, double PollingFailureRate, int VariantSample, int PollingSample, string Action,
    int VariantFailedCallers, int PollingFailedCallers, double WindowMinutes, double MarginPercent, int MinSample);

public sealed record DeliveryBody(string Mode, bool KillSwitch);

public sealed record AuditBody(List<AuditEntry> Entries);

public sealed record AuditEntry(string ChangedBy, RolloutBody? From, RolloutBody To, string? Reason);

/// <summary>The admin side of the rollout API, as a test drives it.</summary>
public static class RolloutClient
{
    public static async Task<HttpClient> AdminAsync(AppFixture app)
    {
        var client = app.CreateClient();
        var token = await AppFixture.LoginAsync(client, "admin@example.com", AppFixture.AdminPassword);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return client;
    }

    public static async Task<RolloutBody> PutAsync(HttpClient admin, int sse, int hybrid, int polling, bool killSwitch)
    {
        var response = await admin.PutAsJsonAsync("/api/admin/rollout", new { allocation = new { sse, hybrid, polling }, killSwitch });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RolloutBody>(Json.Options))!;
    }

    /// <summary>The newest <paramref name="limit"/> entries of the audit trail, newest first.</summary>
    public static async Task<List<AuditEntry>> AuditAsync(HttpClient admin, int limit) =>
        (await admin.GetFromJsonAsync<AuditBody>($"/api/admin/rollout/audit?limit={limit}", Json.Options))!.Entries;

    public static async Task<DeliveryBody> DeliveryAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<DeliveryBody>("/api/delivery", Json.Options))!;
}
