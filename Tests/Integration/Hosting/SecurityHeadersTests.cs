using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Hosting;

/// <summary>api.md, Security headers: pages, API answers and errors all carry them; the policy allows the page's one inline script by its hash.</summary>
public sealed partial class SecurityHeadersTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/courses")]
    [InlineData("/feed")]
    [InlineData("/no-such-page")]
    [InlineData("/api/courses")]
    [InlineData("/api/feed?limit=abc")]
    [InlineData("/api/assistant/sessions")]
    [InlineData("/health")]
    public async Task Every_response_says_nosniff_keeps_the_referrer_and_has_a_content_security_policy(string path)
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync(path);

        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        var policy = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("object-src 'none'", policy);
        Assert.DoesNotContain("unsafe-eval'", policy.Replace("'wasm-unsafe-eval'", ""));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/courses")]
    [InlineData("/no-such-page")]
    public async Task The_policy_allows_exactly_the_inline_scripts_the_page_has_by_their_hash(string path)
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        var policy = Header(response, "Content-Security-Policy");

        var inlineScripts = InlineScript().Matches(html).Select(match => match.Groups["body"].Value).ToList();
        Assert.NotEmpty(inlineScripts); // the import map
        foreach (var script in inlineScripts)
        {
            var hash = "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script))) + "'";
            Assert.Contains(hash, policy);
        }
        var scriptSources = policy.Split(';').Single(directive => directive.Trim().StartsWith("script-src", StringComparison.Ordinal));
        Assert.Equal(inlineScripts.Count, Regex.Matches(scriptSources, "'sha256-").Count);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.RequestUri} has no {name}");

    /// <summary>A script element with content and no src (what a hash or nonce must allow).</summary>
    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>(?<body>.+?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();
}
