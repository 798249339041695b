using System.IO.Compression;
using System.Net.Http.Headers;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Hosting;

/// <summary>
/// What a first visit downloads (performance target 10): "/" asks for the early guide's modules at once
/// and for nothing of Blazor's until the guide is usable, and the site's own scripts and stylesheets go
/// out compressed, while pages, API answers and streams never do (docs/architecture.md).
/// </summary>
public sealed class FirstVisitBytesTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_landing_page_preloads_the_guide_and_leaves_Blazor_and_MudBlazor_scripts_to_blazor_start()
    {
        using var client = app.CreateClient();

        var html = await client.GetStringAsync("/");

        Assert.Contains("""<link rel="modulepreload" href="js/early-guide.js" />""", html);
        Assert.Contains("""<link rel="modulepreload" href="js/chat-client.js" />""", html);
        Assert.DoesNotContain("""<script src="_framework/blazor.web""", html);
        Assert.DoesNotContain("""<script src="_content/MudBlazor/MudBlazor.min.js""", html);
        Assert.Contains("""data-blazor-src="_framework/blazor.web""", html);
    }

    [Theory]
    [InlineData("/courses")]
    [InlineData("/feed")]
    public async Task Every_other_page_loads_Blazor_at_once_and_preloads_no_guide(string path)
    {
        using var client = app.CreateClient();

        var html = await client.GetStringAsync(path);

        Assert.Contains("""<script src="_framework/blazor.web""", html);
        Assert.Contains("""<script src="_content/MudBlazor/MudBlazor.min.js" defer>""", html);
        Assert.DoesNotContain("modulepreload", html);
    }

    [Theory]
    [InlineData("/js/chat-client.js", "br")]
    [InlineData("/js/early-guide.js", "gzip")]
    [InlineData("/css/site.css", "br")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", "br")]
    public async Task Scripts_and_stylesheets_go_out_compressed_and_unchanged(string path, string encoding)
    {
        using var client = app.CreateClient();
        var plain = await (await client.GetAsync(path)).Content.ReadAsByteArrayAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        var response = await client.SendAsync(request);
        var compressed = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(encoding, Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.True(compressed.Length < plain.Length / 2, $"{path}: {compressed.Length} bytes compressed, {plain.Length} plain");
        Assert.Equal(plain, Decompress(compressed, encoding));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/courses")]
    [InlineData("/api/delivery")]
    public async Task Pages_and_API_answers_are_never_compressed(string path)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        var response = await client.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    private static byte[] Decompress(byte[] body, string encoding)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }
}
