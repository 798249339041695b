using System.Net;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Api.Support;

/// <summary>The account endpoints' steps, as a client takes them.</summary>
public static class AccountRequests
{
    public const string Password = "Fresh-Pass-1";

    public static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    /// <summary>Registers a learner and returns their e-mail.</summary>
    public static async Task<string> RegisterAsync(HttpClient client, string password = Password)
    {
        var email = NewEmail();
        var response = await client.PostAsJsonAsync("/api/auth/register", new { email, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return email;
    }

    public static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string refreshToken) =>
        client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken });

    /// <summary>Whether <paramref name="accessToken"/> gets a learner into the tutor API.</summary>
    public static async Task<HttpStatusCode> TutorStatusWithAsync(HttpClient client, string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{ChatApi.Tutor}/sessions");
        request.Headers.Authorization = new("Bearer", accessToken);
        return (await client.SendAsync(request)).StatusCode;
    }
}
