using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Api.Support;

/// <summary>
/// Callers of the chatbots. Learners are registered once per app and reused by the tests that need
/// "a learner" or "two different learners" but not a blank one: registering and logging in hash a
/// password, the slowest step of a tutor test. Visitors cost nothing, so each call makes a new one.
/// </summary>
public static class Callers
{
    private static readonly ConditionalWeakTable<AppFixture, ConcurrentDictionary<int, Lazy<Task<string>>>> Tokens = new();

    /// <summary>A new client (its own cookie jar, disposable) carrying the bearer token of learner number <paramref name="number"/> of this app.</summary>
    public static async Task<HttpClient> LearnerAsync(this AppFixture app, int number = 0)
    {
        var token = await Tokens.GetOrCreateValue(app).GetOrAdd(number, _ => new Lazy<Task<string>>(() => RegisterAsync(app))).Value;
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    /// <summary>A blank caller of <paramref name="bot"/>, with nothing of their own yet: a new learner for the tutor, a new visitor for the guide.</summary>
    public static async Task<HttpClient> NewCallerAsync(this AppFixture app, string bot) =>
        bot == ChatApi.Tutor ? await app.CreateNewLearnerClientAsync() : app.CreateClient();

    /// <summary>A caller of <paramref name="bot"/>: shared learner <paramref name="learner"/> for the tutor, a new visitor for the guide (visitors cost nothing).</summary>
    public static async Task<HttpClient> CallerAsync(this AppFixture app, string bot, int learner = 0) =>
        bot == ChatApi.Tutor ? await app.LearnerAsync(learner) : app.CreateClient();

    private static async Task<string> RegisterAsync(AppFixture app)
    {
        using var client = await app.CreateNewLearnerClientAsync();
        return client.DefaultRequestHeaders.Authorization!.Parameter!;
    }
}
