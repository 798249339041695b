using MudBlazor;

namespace BlazorJobs.App.Components.Layout;

/// <summary>The site's one theme.</summary>
public static class SiteTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3f51b5",
            Secondary = "#00897b",
            AppbarBackground = "#283593",
            Background = "#f7f8fc",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "10px" },
    };
}
