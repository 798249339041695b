using System.Net;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>
/// api.md, Conventions: open streams are limited per caller (here 2). Only the error statuses are tested
/// here; what a stream carries is the stream tests' subject.
/// </summary>
public sealed class StreamLimitTests(StreamLimitFixture app) : IClassFixture<StreamLimitFixture>
{
    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task A_stream_over_the_callers_limit_is_429_and_a_closed_stream_frees_its_place(string bot)
    {
        using var caller = await app.NewCallerAsync(bot);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?");
        var open = new List<HttpResponseMessage>();
        for (var i = 0; i < StreamLimitFixture.MaxOpen; i++)
        {
            open.Add(await SseTestClient.OpenAsync(caller, accepted.StreamUrl));
            Assert.Equal(HttpStatusCode.OK, open[^1].StatusCode);
        }

        using var refused = await SseTestClient.OpenAsync(caller, accepted.StreamUrl);

        await ProblemAssert.IsRetryableAsync(refused, HttpStatusCode.TooManyRequests, "rate-limited");
        open[0].Dispose();
        using var reopened = await Eventually.ReturnsAsync(
            () => SseTestClient.OpenAsync(caller, accepted.StreamUrl),
            response => response.StatusCode == HttpStatusCode.OK || Discard(response),
            "the closed stream's place to be freed");
        open.Skip(1).ToList().ForEach(r => r.Dispose());
        await caller.PostAsync($"{accepted.PollUrl}/cancel", null);
    }

    [Fact]
    public async Task One_callers_open_streams_do_not_count_against_another()
    {
        using var busy = app.CreateClient();
        using var other = app.CreateClient();
        var busyJob = await ChatApi.AskAsync(busy, ChatApi.Landing, "What is flexbox?");
        var otherJob = await ChatApi.AskAsync(other, ChatApi.Landing, "What is grid?");
        var open = new List<HttpResponseMessage>();
        for (var i = 0; i < StreamLimitFixture.MaxOpen; i++)
        {
            open.Add(await SseTestClient.OpenAsync(busy, busyJob.StreamUrl));
        }

        using var response = await SseTestClient.OpenAsync(other, otherJob.StreamUrl);

        Assert.All(open, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        open.ForEach(r => r.Dispose());
        await busy.PostAsync($"{busyJob.PollUrl}/cancel", null);
        await other.PostAsync($"{otherJob.PollUrl}/cancel", null);
    }

    /// <summary>A refused attempt holds nothing, but its response is still disposed.</summary>
    private static bool Discard(HttpResponseMessage response)
    {
        response.Dispose();
        return false;
    }
}
