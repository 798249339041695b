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
            // Darker than Material's defaults so small text (level chips, the warning notice, the
            // error button's label) reaches WCAG AA's 4.5:1; axe checks every page (AccessibilityBrowserTests).
            Secondary = "#00695c",
            Warning = "#9a4f00",
            Error = "#c62828",
            AppbarBackground = "#283593",
            Background = "#f7f8fc",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "10px" },
    };
}
