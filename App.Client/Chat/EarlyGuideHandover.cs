using System.Text.Json;
using Microsoft.JSInterop;

namespace BlazorJobs.App.Client.Chat;

/// <summary>
/// The turns the early guide (wwwroot/js/early-guide.js) was showing when WebAssembly took over the
/// landing page. The WebAssembly panel shows them on its first render, so the conversation does not
/// blink to a skeleton while the session's history is fetched; the history then replaces them (it
/// stays the one copy of the conversation: these are only what was on screen).
/// </summary>
public static class EarlyGuideHandover
{
    /// <summary>The sessionStorage key early-guide.js writes (HANDOVER_KEY there); it clears it on every page load.</summary>
    public const string StorageKey = "blazorjobs.early-guide.turns";

    /// <param name="State">An <see cref="ExchangeState"/> as ChatMessageItem writes it into data-state ("streaming").</param>
    public sealed record Turn(string Question, string Answer, string State, string? Problem, IReadOnlyList<string>? Suggestions);

    /// <summary>
    /// Reads and removes the turns. Synchronous, so it can run before the first render: only a
    /// WebAssembly runtime can do that, elsewhere (a server circuit, prerendering) there is nothing to take.
    /// </summary>
    public static IReadOnlyList<Turn> Take(IJSRuntime js)
    {
        if (js is not IJSInProcessRuntime inProcess)
        {
            return [];
        }
        try
        {
            var json = inProcess.Invoke<string?>("sessionStorage.getItem", StorageKey);
            if (json is null)
            {
                return [];
            }
            inProcess.InvokeVoid("sessionStorage.removeItem", StorageKey);
            return JsonSerializer.Deserialize<List<Turn>>(json, JsonSerializerOptions.Web) ?? [];
        }
        catch (Exception e) when (e is JSException or JsonException)
        {
            return []; // storage denied or a foreign value: the panel shows a skeleton until the history arrives
        }
    }
}
