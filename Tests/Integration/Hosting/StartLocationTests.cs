using System.Diagnostics;

namespace BlazorJobs.Tests.Integration.Hosting;

/// <summary>
/// The repository root's <c>appsettings.json</c> and <c>wwwroot/</c> are the app's, wherever it is started
/// from: <c>dotnet run --project Server</c> from the root or from <c>Server/</c> (which runs the build output
/// with the caller's folder as working directory), or a <c>dotnet publish</c> output started from anywhere.
/// </summary>
public sealed class StartLocationTests
{
    private static readonly string RepositoryRoot = FindRepositoryRoot();

    /// <summary>The configuration the tests were built in (Tests/bin/&lt;configuration&gt;/net10.0/); Server was built alongside.</summary>
    private static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string BuiltServerDll => Path.Combine(RepositoryRoot, "Server", "bin", Configuration, "net10.0", "BlazorJobs.Server.dll");

    [Theory]
    [InlineData("")]
    [InlineData("Server")]
    public async Task Started_from_the_checkout_it_uses_the_repository_roots_settings_and_files(string folder)
    {
        await using var server = await ServerProcess.StartAsync(BuiltServerDll, Path.Combine(RepositoryRoot, folder));

        Assert.Equal(Normalise(RepositoryRoot), Normalise(server.ContentRoot));
        await AssertServesTheSiteAsync(server, Path.Combine(RepositoryRoot, "wwwroot"));
    }

    [Fact]
    public async Task A_publish_output_started_from_another_folder_uses_the_copies_beside_its_binaries()
    {
        var output = Directory.CreateTempSubdirectory("bj-publish-").FullName;
        var elsewhere = Directory.CreateTempSubdirectory("bj-cwd-").FullName;
        try
        {
            await PublishAsync(output);
            Assert.True(File.Exists(Path.Combine(output, "appsettings.json")), "publishing copies the root appsettings.json beside the binaries");

            await using var server = await ServerProcess.StartAsync(Path.Combine(output, "BlazorJobs.Server.dll"), elsewhere);

            Assert.Equal(Normalise(output), Normalise(server.ContentRoot));
            await AssertServesTheSiteAsync(server, Path.Combine(RepositoryRoot, "wwwroot"));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    private static async Task AssertServesTheSiteAsync(ServerProcess server, string siteFolder)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        // The root wwwroot's module, byte for byte: the site's own files, not a stale or missing copy.
        var module = await client.GetByteArrayAsync("/js/sse-client.js");
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(siteFolder, "js", "sse-client.js")), module);
        // The framework's and MudBlazor's assets come with it, so the pages work too.
        Assert.True((await client.GetAsync("/_framework/blazor.web.js")).IsSuccessStatusCode, "blazor.web.js is served");
        var home = await client.GetAsync("/");
        Assert.True(home.IsSuccessStatusCode, $"the landing page answers: {(int)home.StatusCode}");
        Assert.Contains("_content/MudBlazor", await home.Content.ReadAsStringAsync());
    }

    private static async Task PublishAsync(string output)
    {
        // --no-build publishes what the test run already built; trimming the WebAssembly client is a
        // production optimisation that only costs this test a minute.
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
                 {
                     "publish", Path.Combine("Server", "Server.csproj"), "-c", Configuration, "--no-build", "-o", output,
                     "-p:PublishTrimmed=false", "-nodeReuse:false", "-nologo",
                 })
        {
            info.ArgumentList.Add(argument);
        }
        using var publish = Process.Start(info)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        Assert.True(publish.ExitCode == 0, $"dotnet publish failed:\n{await stdout}\n{await stderr}");
    }

    private static string Normalise(string? path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path ?? "(none logged)"));

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BlazorJobs.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No BlazorJobs.sln above {AppContext.BaseDirectory}");
    }
}
