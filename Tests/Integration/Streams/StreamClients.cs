using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>
/// HTTP clients whose "leave" is immediate. A default <see cref="SocketsHttpHandler"/> that disposes an
/// unfinished response keeps reading it in the background for up to 2 s (response draining) before
/// closing the socket; a browser tab that closes does not, and the tests of what the server frees when
/// a client leaves must see the socket close when the test says so.
/// </summary>
public static class StreamClients
{
    /// <summary>A client acting as the same learner as <paramref name="learner"/> (its bearer token): another tab.</summary>
    public static HttpClient SameLearnerAs(AppFixture app, HttpClient learner)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0, UseCookies = false })
        {
            BaseAddress = app.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Authorization = learner.DefaultRequestHeaders.Authorization;
        return client;
    }
}
