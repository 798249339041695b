using System.Net;
using System.Net.Http.Json;

namespace BlazorJobs.Tests.Infrastructure;

/// <summary>Small client-side steps that many tests take: ask a question, wait for the answer by polling.</summary>
public static class ChatApi
{
    public const string Landing = "/api/landing-assistant";
    public const string Tutor = "/api/assistant";

    public static async Task<Accepted> AskAsync(HttpClient client, string basePath, string question, Guid? sessionId = null, Guid? courseId = null)
    {
        var response = await client.PostAsJsonAsync($"{basePath}/query", new { question, sessionId, courseId });
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"Enqueue answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return (await response.Content.ReadFromJsonAsync<Accepted>(Json.Options))!;
    }

    /// <summary>Polls until the job is terminal (tests use short intervals; the browser module follows the contract's schedule).</summary>
    public static async Task<PollBody> WaitForTerminalAsync(HttpClient client, string pollUrl, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var body = (await client.GetFromJsonAsync<PollBody>(pollUrl, Json.Options))!;
            if (body.Status is "COMPLETED" or "FAILED" or "CANCELLED")
            {
                return body;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Job still {body.Status} after the timeout.");
            }
            await Task.Delay(50);
        }
    }
}
