using System.Net;
using System.Text.RegularExpressions;

namespace BlazorJobs.Tests.Integration.Api.Support;

/// <summary>Signs a browser in the way the sign-in page does: a form post with the page's antiforgery token.</summary>
public static partial class CookieSignIn
{
    public const string AntiforgeryHeader = "RequestVerificationToken";

    /// <summary>Posts the sign-in form; afterwards <paramref name="browser"/> carries the auth cookie.</summary>
    public static async Task SignInAsync(HttpClient browser, string email, string password)
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = password,
            ["returnUrl"] = "/courses",
            ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(browser),
        });
        var response = await browser.PostAsync("/Account/Login", form);

        // A page form (not an API) answers with a redirect: to returnUrl when signed in, back to the form otherwise.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/courses", response.Headers.Location?.OriginalString);
    }

    /// <summary>The antiforgery token a page rendered for this browser (and its current user) carries in its hidden field.</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient browser)
    {
        var html = await browser.GetStringAsync("/Account/Login");
        var input = TokenInput().Match(html);
        Assert.True(input.Success, "The sign-in page has no antiforgery field.");
        var value = ValueAttribute().Match(input.Value);
        Assert.True(value.Success, "The antiforgery field has no value.");
        return WebUtility.HtmlDecode(value.Groups[1].Value);
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>")]
    private static partial Regex TokenInput();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValueAttribute();
}
