namespace BlazorJobs.Server.Hosting;

/// <summary>
/// Finds the folder that holds the app's own <c>appsettings.json</c> and <c>wwwroot/</c>.
/// </summary>
/// <remarks>
/// <c>dotnet run --project Server</c> makes the caller's folder the content root, so relying on it
/// would load the wrong settings when started from <c>Server/</c>. Instead: in a source checkout the
/// repository root (the folder with <c>BlazorJobs.sln</c>, found by walking up from the binaries);
/// in a <c>dotnet publish</c> output, the binaries' folder, where publishing copies both (the site's
/// files land in the output's <c>wwwroot/</c> beside the framework's static web assets).
/// </remarks>
public sealed record SiteRoot(string ContentRoot, string WebRoot)
{
    private const string SolutionFile = "BlazorJobs.sln";
    private const string SiteMarker = "js/sse-client.js";

    public static SiteRoot Locate()
    {
        var baseDirectory = AppContext.BaseDirectory;
        var published = Path.Combine(baseDirectory, "wwwroot");
        if (File.Exists(Path.Combine(published, SiteMarker)) && File.Exists(Path.Combine(baseDirectory, "appsettings.json")))
        {
            return new SiteRoot(baseDirectory, published);
        }

        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return new SiteRoot(dir.FullName, Path.Combine(dir.FullName, "wwwroot"));
            }
        }

        throw new InvalidOperationException(
            $"Could not find the site root: no {SolutionFile} above {baseDirectory} and no published wwwroot/{SiteMarker} beside it. " +
            "Run from a source checkout (dotnet run --project Server) or from a dotnet publish output.");
    }
}
