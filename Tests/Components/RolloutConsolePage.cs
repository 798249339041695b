using AngleSharp.Dom;
using BlazorJobs.App.Components.Pages.Admin;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace BlazorJobs.Tests.Components;

/// <summary>How the rollout console's tests find and use what an admin sees on the page.</summary>
internal static class RolloutConsolePage
{
    public static IElement Button(IRenderedComponent<RolloutConsole> cut, string text) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == text);

    /// <summary>
    /// Finds and clicks a button on the renderer's thread, so no render (MudBlazor's dialog re-renders
    /// while it opens) can slip between finding it and clicking it and leave a stale event handler.
    /// Does not wait for the click's handler: the kill switch's waits for the dialog.
    /// </summary>
    public static Task ClickAsync(IRenderedComponent<RolloutConsole> cut, string text, bool inDialog = false) =>
        cut.InvokeAsync(() =>
        {
            var button = cut.FindAll(inDialog ? ".mud-dialog button" : "button").Single(b => b.TextContent.Trim() == text);
            _ = button.ClickAsync(new MouseEventArgs());
        });

    /// <summary>Types a number and leaves the field (MudNumericField takes it on change), on the renderer's thread as <see cref="ClickAsync"/>.</summary>
    public static Task SetNumberAsync(IRenderedComponent<RolloutConsole> cut, string label, string value) =>
        cut.InvokeAsync(() => NumberInput(cut, label).ChangeAsync(new ChangeEventArgs { Value = value }));

    public static IElement NumberInput(IRenderedComponent<RolloutConsole> cut, string label)
    {
        var field = cut.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.Trim() == label);
        return field.QuerySelector("input")!;
    }

    public static IElement FiguresTable(IRenderedComponent<RolloutConsole> cut) =>
        cut.FindAll("table").Single(t => t.QuerySelector("thead")!.TextContent.Contains("Requests / question"));

    public static List<IElement> AuditRows(IRenderedComponent<RolloutConsole> cut) =>
        [.. cut.FindAll("table").Single(t => t.QuerySelector("thead")!.TextContent.Contains("Why")).QuerySelectorAll("tbody tr")];

    /// <summary>The text as a reader sees it: runs of whitespace (the markup's line breaks) as one space.</summary>
    public static string Text(IElement element) => System.Text.RegularExpressions.Regex.Replace(element.TextContent, @"\s+", " ").Trim();

    public static string StreamStatus(IRenderedComponent<RolloutConsole> cut) => Text(cut.Find("[role=status].rollout-stream-status"));

    public static List<IElement> Charts(IRenderedComponent<RolloutConsole> cut) => [.. cut.FindAll("figure.rollout-chart")];

    /// <summary>The bars as drawn: their shapes, which change when the figures do.</summary>
    public static List<string> Bars(IElement chart) => [.. chart.QuerySelectorAll("path.mud-chart-bar").Select(p => p.GetAttribute("d") ?? "")];

    public static List<string> Cells(IElement row) => [.. row.Children.Select(c => c.TextContent.Trim())];
}
