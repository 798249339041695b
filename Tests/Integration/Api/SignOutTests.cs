using System.Net;
using BlazorJobs.Server.Accounts;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>
/// api.md, Accounts: after logout the learner's bearer tokens stop working within
/// <c>Auth:SecurityStampCheckSeconds</c> (here 0.5 s; 30 by default) and their open tutor streams end.
/// </summary>
public sealed class SignOutTests(SignOutFixture app) : IClassFixture<SignOutFixture>
{
    [Fact]
    public async Task After_logout_the_learners_access_tokens_are_401_and_open_tutor_streams_end()
    {
        using var learner = await app.CreateNewLearnerClientAsync();
        var accepted = await ChatApi.AskAsync(learner, ChatApi.Tutor, "What is flexbox?");
        using var jobStream = await SseTestClient.OpenAsync(learner, accepted.StreamUrl);
        using var sessionStream = await SseTestClient.OpenAsync(learner, $"{ChatApi.Tutor}/sessions/{accepted.SessionId}/stream");
        Assert.Equal(HttpStatusCode.OK, jobStream.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sessionStream.StatusCode);
        var jobEvents = SseTestClient.ReadAsync(jobStream, timeout: TimeSpan.FromSeconds(60));
        var sessionEvents = SseTestClient.ReadAsync(sessionStream, timeout: TimeSpan.FromSeconds(60));

        var logout = await learner.PostAsync("/api/auth/logout", null);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await ProblemAssert.IsAsync(await learner.GetAsync($"{ChatApi.Tutor}/sessions"), HttpStatusCode.Unauthorized);
        // Both streams end by themselves (the server closes them), long before the job or the reader's 60 s.
        await Eventually.WithinAsync(Task.WhenAll(jobEvents, sessionEvents), "both tutor streams to end", TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(await jobEvents, e => SseTestClient.TerminalTypes.Contains(e.Type));
        await ProblemAssert.IsAsync(await SseTestClient.OpenAsync(learner, accepted.StreamUrl), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_logout_ends_that_learners_streams_only()
    {
        using var leaving = await app.CreateNewLearnerClientAsync();
        using var staying = await app.CreateNewLearnerClientAsync();
        using var leavingStream = await SseTestClient.OpenAsync(leaving, (await ChatApi.AskAsync(leaving, ChatApi.Tutor, "What is flexbox?")).StreamUrl);
        using var stayingStream = await SseTestClient.OpenAsync(staying, (await ChatApi.AskAsync(staying, ChatApi.Tutor, "What is a CSS grid?")).StreamUrl);
        var leavingEvents = SseTestClient.ReadAsync(leavingStream, timeout: TimeSpan.FromSeconds(60));
        var stayingEvents = SseTestClient.ReadAsync(stayingStream, timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.NoContent, (await leaving.PostAsync("/api/auth/logout", null)).StatusCode);

        await Eventually.WithinAsync(leavingEvents, "the signed-out learner's stream to end", TimeSpan.FromSeconds(30));
        // Several check intervals (0.5 s here) later, the other learner's stream is still open and still watched.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(stayingEvents.IsCompleted, "the other learner's stream ended too");
        await Eventually.HoldsAsync(() => app.Service<SignOutStreamWatch>().Count == 1, "only the other learner's stream to be watched");
    }

    [Fact]
    public async Task A_stream_that_ends_is_no_longer_watched()
    {
        using var learner = await app.CreateNewLearnerClientAsync();
        var accepted = await ChatApi.AskAsync(learner, ChatApi.Tutor, "What is flexbox?");
        var watch = app.Service<SignOutStreamWatch>();
        using (var stream = await SseTestClient.OpenAsync(learner, accepted.StreamUrl))
        {
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            await Eventually.HoldsAsync(() => watch.Count == 1, "the open tutor stream to be watched");
        }

        // The client left: the request ends, and so does its watch (nothing is held for a stream that is gone).
        await Eventually.HoldsAsync(() => watch.Count == 0, "the finished stream to leave the watch");
    }

    [Fact]
    public async Task A_logout_elsewhere_stops_the_token_within_the_check_interval()
    {
        string email;
        using (var anonymous = app.CreateClient())
        {
            email = await AccountRequests.RegisterAsync(anonymous);
        }
        using var learner = await app.CreateLearnerClientAsync(email, AccountRequests.Password);
        Assert.Equal(HttpStatusCode.OK, (await learner.GetAsync($"{ChatApi.Tutor}/sessions")).StatusCode);

        // A sign-out this instance did not see (another instance did it): only the stored stamp changed.
        await app.ScalarAsync("""UPDATE "AspNetUsers" SET security_stamp = @stamp WHERE normalized_email = upper(@email)""",
            ("stamp", Guid.NewGuid().ToString("N")), ("email", email));

        await Eventually.HoldsAsync(
            async () => (await learner.GetAsync($"{ChatApi.Tutor}/sessions")).StatusCode == HttpStatusCode.Unauthorized,
            "the stale token to be refused");
    }
}
