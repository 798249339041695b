using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BlazorJobs.App.Client.Contracts;
using BlazorJobs.App.Services;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorJobs.Tests.Integration.Hosting;

/// <summary>What a browser sees when the address is wrong: a real 404 page within the site's layout; the API keeps problem+json.</summary>
public sealed class NotFoundPageTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/courses/no-such-course")]
    [InlineData("/courses/no-such-course?lesson=intro")]
    public async Task An_unknown_page_or_course_is_the_404_page_within_the_site_layout(string path)
    {
        using var browser = app.CreateClient();

        var response = await browser.GetAsync(path);

        var html = await ErrorPage.IsAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("Page not found", html);
    }

    [Theory]
    [InlineData("POST", "/no-such-page")]
    [InlineData("PUT", "/no-such-page")]
    [InlineData("DELETE", "/courses/no-such-course/edit")]
    [InlineData("GET", "/js/no-such-module.js")]
    public async Task Any_method_on_an_unknown_page_is_404_not_405(string method, string path)
    {
        using var browser = app.CreateClient();

        var response = await browser.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("a=b") });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_known_course_is_still_200()
    {
        using var browser = app.CreateClient();
        var slug = (await browser.GetFromJsonAsync<List<CourseSlug>>("/api/courses"))![0].Slug;

        var response = await browser.GetAsync($"/courses/{slug}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_api_address_stays_a_problem_not_a_page()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/api/no-such-endpoint");

        await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound);
    }

    private sealed record CourseSlug(string Slug);
}

/// <summary>An unhandled error in a page shows the error page (500, within the layout), never a stack trace.</summary>
public sealed class UnhandledErrorPageTests(UnhandledErrorPageTests.BrokenCatalogFixture app) : IClassFixture<UnhandledErrorPageTests.BrokenCatalogFixture>
{
    [Fact]
    public async Task A_page_that_throws_shows_the_error_page_with_500()
    {
        using var browser = app.CreateClient();

        var response = await browser.GetAsync("/courses");

        var html = await ErrorPage.IsAsync(response, HttpStatusCode.InternalServerError);
        Assert.Contains("Something went wrong", html);
        Assert.DoesNotContain(BrokenCatalog.Message, html);
        Assert.DoesNotContain("   at ", html);
    }

    /// <summary>The catalogue fails with a bug (not an outage) whenever a page reads it.</summary>
    public sealed class BrokenCatalogFixture : AppFixture
    {
        protected override void ConfigureServices(IServiceCollection services) => services.AddScoped<ICatalog, BrokenCatalog>();
    }

    private sealed class BrokenCatalog : ICatalog
    {
        public const string Message = "A bug in the catalogue (thrown on purpose by the test).";

        public Task<IReadOnlyList<CourseCard>> ListCoursesAsync(CancellationToken cancellationToken = default) => throw new InvalidOperationException(Message);

        public Task<CourseDetail?> GetCourseAsync(string slug, CancellationToken cancellationToken = default) => throw new InvalidOperationException(Message);
    }
}

/// <summary>With the database down, pages say "back in a moment" (503, Retry-After), not raw JSON; the API keeps its problem.</summary>
public sealed partial class DatabaseDownPageTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task With_the_database_down_a_page_is_the_back_in_a_moment_page_with_503_and_retry_after()
    {
        using var browser = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/courses")).StatusCode);

        await using (var outage = await DatabaseOutage.BeginAsync(app))
        {
            var page = await browser.GetAsync("/courses");
            var api = await browser.GetAsync("/api/courses");

            var html = await ErrorPage.IsAsync(page, HttpStatusCode.ServiceUnavailable);
            Assert.Contains("Back in a moment", html);
            Assert.True(page.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, $"Retry-After: {page.Headers.RetryAfter}");
            await ProblemAssert.IsRetryableAsync(api, HttpStatusCode.ServiceUnavailable, "database-unavailable");
            await outage.EndAsync();
        }

        await Eventually.ReturnsAsync(() => browser.GetAsync("/courses"), response => response.StatusCode == HttpStatusCode.OK, "the page to load again once the database is back");
    }

    [Fact]
    public async Task Signing_in_with_the_database_down_shows_the_back_in_a_moment_page()
    {
        using var browser = app.CreateClient();
        var form = await browser.GetStringAsync("/Account/Login");
        var antiforgery = AntiforgeryToken().Match(form).Groups["token"].Value;
        Assert.NotEmpty(antiforgery);

        HttpResponseMessage response;
        await using (var outage = await DatabaseOutage.BeginAsync(app))
        {
            response = await browser.PostAsync("/Account/Login", new FormUrlEncodedContent(
            [
                new("email", "learner@example.com"), new("password", AppFixture.LearnerPassword), new("__RequestVerificationToken", antiforgery),
            ]));
        }

        Assert.Contains("Back in a moment", await ErrorPage.IsAsync(response, HttpStatusCode.ServiceUnavailable));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<token>[^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

/// <summary>An error page as the contract wants it: the status, HTML within the site's layout (its app bar), the security headers.</summary>
internal static class ErrorPage
{
    public static async Task<string> IsAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} from {response.RequestMessage?.RequestUri}, got {(int)response.StatusCode}: {html[..Math.Min(html.Length, 500)]}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("mud-appbar", html);
        Assert.Contains("class=\"brand\"", html);
        Assert.True(response.Headers.Contains("Content-Security-Policy"), "The page has no Content-Security-Policy");
        return html;
    }
}
