using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace BlazorJobs.Bench.Client;

/// <summary>
/// The course tutor's HTTP contract as a signed-in learner's browser uses it (api.md): sign in for a bearer token,
/// enqueue a question with it. Streams are opened by the caller with the same <c>Authorization</c> header.
/// </summary>
public sealed class TutorClient(HttpClient http)
{
    private sealed record TokenAnswer(string AccessToken);

    /// <summary><c>POST /api/auth/login</c>: the learner's bearer token.</summary>
    public async Task<string> SignInAsync(string email, string password, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("api/auth/login", new { email, password }, cancellationToken);
        await LandingClient.EnsureAsync(response, HttpStatusCode.OK, "sign in");
        return (await response.Content.ReadFromJsonAsync<TokenAnswer>(LandingClient.Json, cancellationToken))!.AccessToken;
    }

    /// <summary><c>POST /api/assistant/query</c> as the learner the token belongs to.</summary>
    public async Task<Accepted> EnqueueAsync(string token, string question, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/assistant/query") { Content = JsonContent.Create(new { question }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        await LandingClient.EnsureAsync(response, HttpStatusCode.Accepted, "tutor enqueue");
        return (await response.Content.ReadFromJsonAsync<Accepted>(LandingClient.Json, cancellationToken))!;
    }
}
