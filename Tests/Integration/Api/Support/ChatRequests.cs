using System.Net;
using System.Net.Http.Json;
using System.Text;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Api.Support;

/// <summary>Requests against the chatbot endpoints that tests send in more than one shape.</summary>
public static class ChatRequests
{
    /// <summary>An enqueue whose response the test inspects itself (statuses other than 202, headers).</summary>
    public static Task<HttpResponseMessage> QueryAsync(HttpClient client, string basePath, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{basePath}/query") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }
        return client.SendAsync(request);
    }

    /// <summary>A body sent exactly as given, with Content-Length or, when <paramref name="chunked"/>, chunked.</summary>
    public static Task<HttpResponseMessage> PostRawAsync(HttpClient client, string url, string body, string? contentType = "application/json", bool chunked = false)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }
        return client.SendAsync(request);
    }

    /// <summary>Polls a job and returns its current body.</summary>
    public static async Task<PollBody> PollAsync(HttpClient client, string pollUrl)
    {
        var response = await client.GetAsync(pollUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PollBody>(Json.Options))!;
    }

    /// <summary>Polls until the job reaches <paramref name="status"/> (the worker runs on its own schedule).</summary>
    public static Task<PollBody> WaitForStatusAsync(HttpClient client, string pollUrl, string status) =>
        Eventually.ReturnsAsync(() => PollAsync(client, pollUrl), job => job.Status == status, $"job at {pollUrl} to be {status}");

    public static async Task<SessionHistoryBody> HistoryAsync(HttpClient client, string basePath, Guid sessionId)
    {
        var response = await client.GetAsync($"{basePath}/sessions/{sessionId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SessionHistoryBody>(Json.Options))!;
    }

    public static async Task<List<SessionSummaryBody>> SessionsAsync(HttpClient client, string basePath, string query = "")
    {
        var response = await client.GetAsync($"{basePath}/sessions{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SessionListBody>(Json.Options))!.Sessions;
    }
}
