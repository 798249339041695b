using System.Net;
using System.Text;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>api.md, Enqueue: an <c>Idempotency-Key</c> makes a retried enqueue safe, per caller.</summary>
public sealed class IdempotencyTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task The_same_key_and_question_get_the_same_202_and_no_new_job(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var (key, question) = NewKeyAndQuestion();
        var first = await ChatRequests.QueryAsync(caller, bot, new { question }, key);
        var firstBody = await first.Content.ReadAsStringAsync();

        var repeat = await ChatRequests.QueryAsync(caller, bot, new { question }, key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.Equal(firstBody, await repeat.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, repeat.Headers.Location);
        Assert.Equal(1L, await JobsAskingAsync(question));
        var accepted = Json.Parse<Accepted>(firstBody);
        Assert.Single((await ChatRequests.HistoryAsync(caller, bot, accepted.SessionId)).Messages, m => m.Role == "user");
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task The_same_key_sent_ten_times_at_once_makes_one_job(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        // The visitor's cookie comes first, or ten cookie-less requests would be ten different visitors.
        Assert.Equal(HttpStatusCode.OK, (await caller.GetAsync("/api/delivery")).StatusCode);
        var (key, question) = NewKeyAndQuestion();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => ChatRequests.QueryAsync(caller, bot, new { question }, key)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
        Assert.Equal(1L, await JobsAskingAsync(question));
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task The_same_key_with_a_different_question_is_422(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var (key, question) = NewKeyAndQuestion();
        Assert.Equal(HttpStatusCode.Accepted, (await ChatRequests.QueryAsync(caller, bot, new { question }, key)).StatusCode);
        var different = question + " And grid?";

        var response = await ChatRequests.QueryAsync(caller, bot, new { question = different }, key);

        await ProblemAssert.IsAsync(response, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        Assert.Equal(0L, await JobsAskingAsync(different));
    }

    public static TheoryData<string, string> InvalidKeys() => new()
    {
        { ChatApi.Tutor, new string('k', 129) },
        { ChatApi.Landing, new string('k', 129) },
        { ChatApi.Landing, "" },
        { ChatApi.Landing, "tab\tinside" },
    };

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task An_invalid_key_is_400(string bot, string key)
    {
        using var caller = await app.CallerAsync(bot);
        var (_, question) = NewKeyAndQuestion();

        var response = await ChatRequests.QueryAsync(caller, bot, new { question }, key);

        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "invalid-idempotency-key");
        Assert.Contains("128", problem.Detail);
        Assert.Equal(0L, await JobsAskingAsync(question));
    }

    [Fact]
    public async Task A_key_with_non_ascii_characters_is_400()
    {
        // HttpClient sends only ASCII headers unless told otherwise; a careless client may send UTF-8.
        using var visitor = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 }) { BaseAddress = app.BaseAddress };
        var (_, question) = NewKeyAndQuestion();

        var response = await ChatRequests.QueryAsync(visitor, ChatApi.Landing, new { question }, "clé-numéro-1");

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "invalid-idempotency-key");
        Assert.Equal(0L, await JobsAskingAsync(question));
    }

    [Fact]
    public async Task A_key_of_128_printable_characters_is_accepted()
    {
        using var visitor = app.CreateClient();

        var response = await ChatRequests.QueryAsync(visitor, ChatApi.Landing, new { question = "What is flexbox?" }, "key with spaces " + new string('~', 112));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task Keys_belong_to_their_caller(string bot)
    {
        using var one = await app.CallerAsync(bot, learner: 0);
        using var other = await app.CallerAsync(bot, learner: 1);
        var (key, question) = NewKeyAndQuestion();
        var first = await ChatRequests.QueryAsync(one, bot, new { question }, key);

        var second = await ChatRequests.QueryAsync(other, bot, new { question }, key);

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var theirs = Json.Parse<Accepted>(await second.Content.ReadAsStringAsync());
        Assert.NotEqual(Json.Parse<Accepted>(await first.Content.ReadAsStringAsync()).JobId, theirs.JobId);
        Assert.Equal(2L, await JobsAskingAsync(question));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(theirs.PollUrl)).StatusCode);
    }

    /// <summary>A fresh key, and a question no other test asks, so its jobs can be counted.</summary>
    private static (string Key, string Question) NewKeyAndQuestion()
    {
        var id = Guid.NewGuid();
        return (id.ToString(), $"What is flexbox? (ticket {id:N})");
    }

    private async Task<long> JobsAskingAsync(string question) =>
        (long)(await app.ScalarAsync("SELECT count(*) FROM jobs WHERE question = @question", ("question", question)))!;
}
