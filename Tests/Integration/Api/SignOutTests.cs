using System.Net;
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
