using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>A tutor stream outliving its bearer token (3 s here): the client is told to come back with a fresh one.</summary>
public sealed class ReauthenticateTests(ShortTokenFixture app) : IClassFixture<ShortTokenFixture>
{
    [Fact]
    public async Task A_tutor_stream_whose_token_expires_gets_reauthenticate_and_a_fresh_token_resumes_it()
    {
        // The token is issued before the job is enqueued and the job runs 3 s: the token expires first.
        using var learner = await app.CreateLearnerClientAsync();
        var job = await ChatApi.AskAsync(learner, ChatApi.Tutor, "What is a CSS transition?");

        List<RawBlock> blocks;
        await using (var stream = await RawStream.OpenAsync(learner, job.StreamUrl))
        {
            blocks = await stream.ReadToEndAsync();
        }
        var last = blocks[^1];
        Assert.Equal("reauthenticate", last.EventType);
        Assert.Null(last.Id);
        var lastId = blocks.Last(b => b.Id is not null).Id;

        using var expired = await SseTestClient.OpenAsync(learner, job.StreamUrl, lastId);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        var fresh = await AppFixture.LoginAsync(learner, "learner@example.com", AppFixture.LearnerPassword);
        learner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fresh.AccessToken);
        var rest = await SseTestClient.ReadJobStreamAsync(learner, job.StreamUrl, lastId);

        JobEvents.AssertConsecutiveIds(rest, int.Parse(lastId!, CultureInfo.InvariantCulture) + 1);
        var before = blocks.Where(b => b.Id is not null).Select(b => new ReceivedEvent(b.EventType!, b.Data!, b.Id)).ToList();
        JobEvents.AssertWholeAnsweredJob([.. before, .. rest]);
    }
}
