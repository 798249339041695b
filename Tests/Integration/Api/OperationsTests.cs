using System.Net;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;
using Xunit.Abstractions;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>
/// The metrics tests run alone, after the parallel classes. Every app in this test process has its own
/// OpenTelemetry MeterProvider, but a provider listens to meters by name across the whole process: when
/// another test's app stops and disposes its "Microsoft.AspNetCore.Hosting" meter, this app's provider
/// stops reporting the request metrics too (seen as a scrape without http_server_request_duration under
/// load, and with the PgBouncer tests beside it). A server process hosts one app, so production is not
/// affected; the test just must not share the process with apps that come and go.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics (one app in the process)";
}

/// <summary>api.md, Operations: health, liveness and Prometheus metrics.</summary>
[Collection(MetricsCollection.Name)]
public sealed class OperationsTests(OperationsFixture app, ITestOutputHelper output) : IClassFixture<OperationsFixture>
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Health_and_liveness_answer_200_when_all_is_up(string path)
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_covering_streams_polls_reports_and_jobs()
    {
        using var visitor = app.CreateClient();
        await CauseActivityAsync(visitor);
        string[] expected =
        [
            "blazorjobs_sse_open_streams",
            "blazorjobs_sse_events_written_total",
            "blazorjobs_sse_heartbeats_total",
            "blazorjobs_sse_completion_to_terminal",
            "blazorjobs_poll_requests_total",
            "blazorjobs_delivery_client_reports_total",
            "blazorjobs_jobs_finished_total",
            "blazorjobs_jobs_duration",
        ];

        // The exporter caches a scrape briefly, so the activity may show up one scrape later.
        var text = "";
        await Eventually.ReturnsAsync(
            async () =>
            {
                text = await ScrapeAsync(visitor);
                return "missing: " + string.Join(", ", expected.Where(name => !text.Contains(name)));
            },
            missing => missing == "missing: ",
            "every metric to be exported");

        Assert.Contains("# TYPE blazorjobs_jobs_finished_total counter", text);
        Assert.Contains(text.Split('\n'), line => line.StartsWith("blazorjobs_jobs_finished_total{", StringComparison.Ordinal) && line.Contains("status=\"COMPLETED\""));
    }

    [Fact]
    public async Task Metrics_include_the_queue_depth()
    {
        using var visitor = app.CreateClient();
        await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is flexbox?");

        var text = await ScrapeAsync(visitor);

        Assert.Contains(text.Split('\n'), line => line.StartsWith("blazorjobs_", StringComparison.Ordinal) && line.Contains("queue"));
    }

    [Fact]
    public async Task Metrics_are_refused_to_a_caller_elsewhere_without_the_scrape_token()
    {
        using var client = app.CreateClient();

        var fromElsewhere = await client.SendAsync(FromElsewhere(HttpMethod.Get, "/metrics"));
        var wrongToken = FromElsewhere(HttpMethod.Get, "/metrics");
        wrongToken.Headers.Authorization = new("Bearer", OperationsFixture.ScrapeToken + "x");
        var withWrongToken = await client.SendAsync(wrongToken);

        await ProblemAssert.IsAsync(fromElsewhere, HttpStatusCode.Forbidden);
        await ProblemAssert.IsAsync(withWrongToken, HttpStatusCode.Forbidden);
        Assert.DoesNotContain("blazorjobs_", await fromElsewhere.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_are_served_to_a_scraper_elsewhere_with_the_scrape_token()
    {
        using var client = app.CreateClient();
        var request = FromElsewhere(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new("Bearer", OperationsFixture.ScrapeToken);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("blazorjobs_jobs_by_status", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_scrape_after_pages_and_api_traffic_holds_no_per_component_series_and_few_buckets()
    {
        using var visitor = app.CreateClient();
        string[] pages = ["/", "/courses", "/feed", "/Account/Login", "/no-such-page"];
        foreach (var page in pages.Concat(pages))
        {
            (await visitor.GetAsync(page)).Dispose();
        }
        (await visitor.GetAsync("/api/feed")).Dispose();
        (await visitor.GetAsync("/api/delivery")).Dispose();

        // The exporter caches a scrape briefly, so the traffic may show up one scrape later.
        var text = await Eventually.ReturnsAsync(() => ScrapeAsync(visitor), FeedRequestsAreCounted, "the feed's requests to be in a scrape");

        // It was ~1.8 MB after a day: Blazor's, Identity's and authentication's meters (a histogram per
        // component type) and fifteen buckets per route, status, scheme and protocol. The absolute size is
        // not asserted: meters are per process, and a test process hosts many apps at once.
        output.WriteLine($"A scrape after this traffic: {text.Length / 1024} KiB; the largest metrics: {LargestMetrics(text)}");
        Assert.DoesNotContain("aspnetcore_components_", text);
        Assert.DoesNotContain("aspnetcore_identity_", text);
        Assert.DoesNotContain("aspnetcore_authentication_", text);
        var requestDurationBuckets = text.Split('\n').Where(line => line.StartsWith("http_server_request_duration_seconds_bucket{", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(requestDurationBuckets, line => line.Contains("url_scheme=") || line.Contains("network_protocol_version="));
        Assert.Equal(8, requestDurationBuckets.Select(line => line[line.IndexOf("le=\"", StringComparison.Ordinal)..]).Select(le => le[..le.IndexOf('"', 4)]).Distinct().Count());
    }

    private static string LargestMetrics(string scrape) => string.Join(", ", scrape.Split('\n')
        .Where(line => line.Length > 0 && line[0] != '#')
        .GroupBy(line => line.Split('{', ' ')[0])
        .OrderByDescending(metric => metric.Sum(line => line.Length))
        .Take(3)
        .Select(metric => $"{metric.Key} {metric.Sum(line => line.Length) / 1024} KiB"));

    private static bool FeedRequestsAreCounted(string scrape) =>
        scrape.Split('\n').Any(line => line.StartsWith("http_server_request_duration_seconds_bucket{", StringComparison.Ordinal) && line.Contains("http_route=\"/api/feed"));

    /// <summary>A request the loopback proxy (a known one here) forwards for a client on another machine.</summary>
    private static HttpRequestMessage FromElsewhere(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        return request;
    }

    /// <summary>A question answered over a stream opened at once (so heartbeats fill the tutor's pauses), a poll and a client report.</summary>
    private static async Task CauseActivityAsync(HttpClient visitor)
    {
        var accepted = await ChatApi.AskAsync(visitor, ChatApi.Landing, "What is flexbox?");
        var events = await SseTestClient.ReadJobStreamAsync(visitor, accepted.StreamUrl);
        Assert.Equal("completed", events[^1].Type);
        await ChatRequests.PollAsync(visitor, accepted.PollUrl);
        var report = await visitor.PostAsJsonAsync("/api/delivery/reports", new { jobId = accepted.JobId, mode = "hybrid", kind = "fallback" });
        Assert.Equal(HttpStatusCode.NoContent, report.StatusCode);
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }
}
