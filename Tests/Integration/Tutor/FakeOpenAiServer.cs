using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorJobs.Tests.Integration.Tutor;

/// <summary>
/// A minimal OpenAI-compatible endpoint on 127.0.0.1: <c>POST /v1/chat/completions</c> answers with a
/// <c>text/event-stream</c> of <c>chat.completion.chunk</c> deltas, one per scripted token, then <c>[DONE]</c>.
/// It keeps every request body so a test can read the prompt the tutor sent.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyList<string> _tokens;
    private readonly ConcurrentQueue<string> _requests = new();

    private FakeOpenAiServer(IReadOnlyList<string> tokens)
    {
        _tokens = tokens;
        // An empty builder: no appsettings or environment, so nothing of the app's configuration leaks in.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        _app = builder.Build();
        _app.MapPost("/v1/chat/completions", StreamCompletionAsync);
    }

    /// <summary>The base URL to configure as <c>Tutor:OpenAI:Endpoint</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyCollection<string> Requests => _requests;

    public static async Task<FakeOpenAiServer> StartAsync(IReadOnlyList<string> tokens)
    {
        var server = new FakeOpenAiServer(tokens);
        await server._app.StartAsync();
        server.Endpoint = new Uri($"{server._app.Urls.First()}/v1");
        return server;
    }

    private async Task StreamCompletionAsync(HttpContext context)
    {
        using (var reader = new StreamReader(context.Request.Body))
        {
            _requests.Enqueue(await reader.ReadToEndAsync());
        }

        context.Response.ContentType = "text/event-stream";
        await WriteChunkAsync(context, new { role = "assistant", content = "" }, finishReason: null);
        foreach (var token in _tokens)
        {
            await WriteChunkAsync(context, new { content = token }, finishReason: null);
        }
        await WriteChunkAsync(context, new { }, finishReason: "stop");
        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static async Task WriteChunkAsync(HttpContext context, object delta, string? finishReason)
    {
        var chunk = new
        {
            id = "chatcmpl-fake",
            @object = "chat.completion.chunk",
            created = 1_700_000_000,
            model = "fake-model",
            choices = new[] { new { index = 0, delta, finish_reason = finishReason } },
        };
        await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n");
        await context.Response.Body.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
