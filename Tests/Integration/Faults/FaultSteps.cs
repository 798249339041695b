using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Streams;

namespace BlazorJobs.Tests.Integration.Faults;

/// <summary>What the fault cases do as clients of a server process: ask, open streams, read them to their end.</summary>
internal static class FaultSteps
{
    /// <summary>A block must arrive within this (heartbeats come every second); generous, the machine is shared.</summary>
    public static readonly TimeSpan BlockTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A fresh learner's client, with a bearer token (the tutor chatbot and session streams need one).</summary>
    public static async Task<HttpClient> NewLearnerAsync(FaultServer server)
    {
        var client = server.CreateClient();
        var email = $"learner-{Guid.NewGuid():N}@example.com";
        const string password = "Fault-Pass-1";
        (await client.PostAsJsonAsync("/api/auth/register", new { email, password })).EnsureSuccessStatusCode();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<AppFixture.TokenResponse>())!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return client;
    }

    /// <summary>Asks until the server accepts (it answers 503 while the database is away); returns the job.</summary>
    public static async Task<Accepted> AskWhenAcceptedAsync(HttpClient client, string bot, string question, Guid? sessionId = null)
    {
        var response = await Eventually.ReturnsAsync(
            () => client.PostAsJsonAsync($"{bot}/query", new { question, sessionId }),
            r => r.StatusCode == HttpStatusCode.Accepted,
            "an enqueue to be accepted",
            TimeSpan.FromSeconds(90));
        return (await response.Content.ReadFromJsonAsync<Accepted>(Json.Options))!;
    }

    /// <summary>Opens a job's stream and reads until its first event (the stream is subscribed and replaying).</summary>
    public static async Task<RawStream> OpenJobStreamAsync(HttpClient client, string streamUrl, string? lastEventId = null)
    {
        var stream = await RawStream.OpenAsync(client, streamUrl, lastEventId);
        await NextEventAsync(stream);
        return stream;
    }

    /// <summary>The next block that is an event (not the opening <c>retry:</c>, not a heartbeat); null at the end of the stream.</summary>
    public static async Task<RawBlock?> NextEventAsync(RawStream stream)
    {
        while (await stream.NextAsync(BlockTimeout) is { } block)
        {
            if (block.EventType is not null)
            {
                return block;
            }
        }
        return null;
    }

    /// <summary>Reads until an event of <paramref name="type"/>; the stream must not end first.</summary>
    public static async Task<RawBlock> ReadUntilEventAsync(RawStream stream, string type)
    {
        while (await NextEventAsync(stream) is { } block)
        {
            if (block.EventType == type)
            {
                return block;
            }
        }
        throw new InvalidOperationException($"The stream ended before a {type} event.");
    }

    /// <summary>Every event until the server closes the stream; an aborted response throws (an <see cref="IOException"/>).</summary>
    public static async Task<List<ReceivedEvent>> ReadEventsToEndAsync(RawStream stream)
    {
        var events = new List<ReceivedEvent>();
        while (await NextEventAsync(stream) is { } block)
        {
            events.Add(new ReceivedEvent(block.EventType!, block.Data ?? "", block.Id));
        }
        return events;
    }

    /// <summary>A job stream's events must end with <c>completed</c>, and the deltas of the last attempt must be the start of its answer.</summary>
    public static void AssertEndsWithItsAnswer(IReadOnlyList<ReceivedEvent> events) => JobEvents.AssertDeltasStartTheAnswer(events);

    /// <summary>Reads a session stream until the update that says <paramref name="jobId"/> has its answer.</summary>
    public static async Task<SessionUpdate> ReadSessionUntilAnsweredAsync(RawStream session, Guid jobId)
    {
        while (await NextEventAsync(session) is { } block)
        {
            if (block.EventType == "request_update" && Json.Parse<SessionUpdate>(block.Data!) is { } update && update.JobId == jobId && update.HasResult)
            {
                return update;
            }
        }
        throw new InvalidOperationException("The session stream ended before the job's answer.");
    }
}
