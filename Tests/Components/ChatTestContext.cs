using BlazorJobs.App.Client.Chat;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using MudBlazor.Services;

namespace BlazorJobs.Tests.Components;

/// <summary>
/// A bunit context for the chat components: MudBlazor's services, and chat-interop.js mocked through
/// bunit's JS interop, so a test arranges what the browser module answers and plays its callbacks.
/// </summary>
public abstract class ChatTestContext : BunitContext, IAsyncLifetime
{
    protected static readonly Guid JobId = Guid.Parse("3f2d9a8e-1b7c-4c55-9a0e-6a1f0e2b7c01");
    protected static readonly Guid SessionId = Guid.Parse("7b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d");

    private readonly BunitJSModuleInterop _module;

    protected ChatTestContext()
    {
        // MudBlazor calls its own JS; only the chat module's calls matter here.
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        _module = JSInterop.SetupModule(ChatConnection.ModulePath);
        Chat = _module.SetupModule(invocation => invocation.Identifier == "createChat");
        Chat.Setup<bool>("isOnline").SetResult(true);
        Chat.Setup<ApiOutcome<ChatSessionList>>("listSessions", _ => true).SetResult(Ok(new ChatSessionList([])));
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that can only be disposed asynchronously; xunit v2 awaits this
    // before it calls Dispose, which then has nothing left to do.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    /// <summary>The chat object that chat-interop.js's <c>createChat</c> returns.</summary>
    protected BunitJSModuleInterop Chat { get; }

    /// <summary>The reference the component handed to the module for its callbacks.</summary>
    protected DotNetObjectReference<ChatCallbacks> CallbacksReference =>
        (DotNetObjectReference<ChatCallbacks>)_module.Invocations["createChat"].Single().Arguments[1]!;

    protected static ChatJob Job(string delivery = "sse", Guid? jobId = null) =>
        new(jobId ?? JobId, SessionId, delivery, $"/api/assistant/stream/{jobId ?? JobId}", $"/api/assistant/job/{jobId ?? JobId}");

    protected static ApiOutcome<T> Ok<T>(T data) => new(true, 200, null, null, false, null, data);

    protected static ApiOutcome<T> Refused<T>(int status, string title) => new(false, status, title, null, false, null, default);

    protected static JobUpdate Delta(string text, Guid? jobId = null) =>
        new(jobId ?? JobId, Reset: false, text, Status: null, Attempt: null, Stage: null, Message: null, Mode: null, Transport: null);

    protected static JobUpdate Status(string status, string mode = "sse") =>
        new(JobId, Reset: true, Text: "", status, Attempt: 1, Stage: null, Message: null, mode, Transport: "sse");

    protected static JobUpdate Stage(string stage, string message) =>
        new(JobId, Reset: false, Text: null, Status: null, Attempt: null, stage, message, Mode: null, Transport: null);

    protected static ChatResult Result(string answer) => new(
        answer, SessionId,
        ["What is justify-content?", "How does align-items work?"],
        [new ChatSource("Flexbox layout — HTML & CSS Foundations", "/courses/html-css-foundations?lesson=flexbox-layout")]);

    protected IRenderedComponent<ChatPanel> RenderTutorPanel(Action<ComponentParameterCollectionBuilder<ChatPanel>>? configure = null)
    {
        RenderInteractively();
        return Render<ChatPanel>(parameters =>
        {
            parameters.Add(p => p.Endpoint, ChatEndpoint.Tutor)
                .Add(p => p.AssistantName, "Tutor")
                .Add(p => p.StarterQuestions, ["How do I centre a div?"]);
            configure?.Invoke(parameters);
        });
    }

    /// <summary>
    /// The chat as it runs in the browser: interactive (its prerender is the browser tests'). Set just
    /// before rendering, once every service is registered (bunit allows no registration after it).
    /// </summary>
    protected void RenderInteractively() => SetRendererInfo(new RendererInfo("WebAssembly", isInteractive: true));

    /// <summary>Types a question and submits the form, as Enter does (the module turns Enter into a submit).</summary>
    protected static void Ask(IRenderedComponent<ChatPanel> panel, string question)
    {
        panel.WaitForAssertion(() => Assert.False(panel.Find("textarea").HasAttribute("disabled")));
        panel.Find("textarea").Input(question);
        panel.Find("form").Submit();
    }

    /// <summary>Plays a callback of the module, on the renderer's thread as Blazor does.</summary>
    protected Task Callback(IRenderedComponent<ChatPanel> panel, Func<ChatCallbacks, Task> callback) =>
        panel.InvokeAsync(() => callback(CallbacksReference.Value));

    protected static string StateOf(IRenderedComponent<ChatPanel> panel, int turn = 0) =>
        panel.FindAll(".chat-turn")[turn].GetAttribute("data-state")!;
}
