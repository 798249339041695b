using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BlazorJobs.Bench.Client;

/// <summary>
/// The landing guide's HTTP contract, as a browser uses it: enqueue, poll (with <c>If-None-Match</c>),
/// stream, cancel. One pooled <see cref="SocketsHttpHandler"/> for every simulated visitor (each
/// request carries its visitor's cookie), and a count of every request sent, which is what
/// "requests per answer" is made of.
/// </summary>
public sealed class LandingClient : IDisposable
{
    private const string BasePath = "api/landing-assistant/";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private long _requests;

    public LandingClient(Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            MaxConnectionsPerServer = int.MaxValue,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        // Streams stay open for as long as their job runs: no client-wide timeout, each call brings its own.
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>Every HTTP request sent so far.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    public async Task<Accepted> EnqueueAsync(Visitor visitor, string question, CancellationToken cancellationToken)
    {
        using var timeout = WithTimeout(cancellationToken);
        using var request = Request(HttpMethod.Post, BasePath + "query", visitor);
        request.Content = JsonContent.Create(new { question });
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        await EnsureAsync(response, HttpStatusCode.Accepted, "enqueue");
        return (await response.Content.ReadFromJsonAsync<Accepted>(Json, timeout.Token))!;
    }

    public async Task<PollOutcome> PollAsync(Visitor visitor, string pollUrl, string? etag, CancellationToken cancellationToken)
    {
        using var timeout = WithTimeout(cancellationToken);
        using var request = Request(HttpMethod.Get, pollUrl, visitor);
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        var receivedAt = DateTimeOffset.UtcNow;
        var newEtag = response.Headers.ETag?.ToString() ?? etag;
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return new PollOutcome(304, newEtag, null, null, receivedAt);
        }
        await EnsureAsync(response, HttpStatusCode.OK, "poll");
        var state = await response.Content.ReadFromJsonAsync<JobState>(Json, timeout.Token);
        return new PollOutcome(200, newEtag, state?.Status, state?.CompletedAt, receivedAt);
    }

    /// <summary>Opens a job stream; returns once the response headers (and so the subscription) are in place.</summary>
    public async Task<JobStream> OpenStreamAsync(Visitor visitor, string streamUrl, CancellationToken cancellationToken)
    {
        var request = Request(HttpMethod.Get, streamUrl, visitor);
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            await EnsureAsync(response, HttpStatusCode.OK, "stream");
            return new JobStream(request, response, await response.Content.ReadAsStreamAsync(cancellationToken));
        }
        catch
        {
            response.Dispose();
            request.Dispose();
            throw;
        }
    }

    /// <summary>The user's Stop: used to end a phase without waiting for a deep queue to drain.</summary>
    public async Task CancelAsync(Visitor visitor, Guid jobId, CancellationToken cancellationToken)
    {
        using var timeout = WithTimeout(cancellationToken);
        using var request = Request(HttpMethod.Post, $"{BasePath}job/{jobId}/cancel", visitor);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.Conflict))
        {
            await EnsureAsync(response, HttpStatusCode.Accepted, "cancel");
        }
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        return _http.SendAsync(request, completion, cancellationToken);
    }

    private static HttpRequestMessage Request(HttpMethod method, string url, Visitor visitor)
    {
        var request = new HttpRequestMessage(method, url.TrimStart('/'));
        request.Headers.TryAddWithoutValidation("Cookie", visitor.Cookie);
        return request;
    }

    private static CancellationTokenSource WithTimeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(RequestTimeout);
        return source;
    }

    /// <summary>Throws with the status and the start of the body unless the response has the contract's <paramref name="expected"/> status.</summary>
    internal static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new HttpRequestException($"{what} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}", null, response.StatusCode);
        }
    }

    public void Dispose() => _http.Dispose();
}
