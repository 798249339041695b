using System.Net;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>api.md, Operations: health, liveness and Prometheus metrics.</summary>
public sealed class OperationsTests(OperationsFixture app) : IClassFixture<OperationsFixture>
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
