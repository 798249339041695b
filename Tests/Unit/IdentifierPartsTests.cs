using BlazorJobs.Server.Tutor;

namespace BlazorJobs.Tests.Unit;

public sealed class IdentifierPartsTests
{
    [Fact]
    public void A_camel_cased_identifier_in_code_yields_its_words_at_its_own_position()
    {
        var parts = IdentifierParts.Find("Call `setTimeout` or `new AbortController()` first.");

        Assert.Equal([(2, "set"), (2, "timeout"), (5, "abort"), (5, "controller")], parts);
    }

    [Fact]
    public void Names_in_prose_and_plain_words_are_left_whole()
    {
        Assert.Empty(IdentifierParts.Find("JavaScript and PostgreSQL run `fetch` and `HTML` fine."));
    }

    [Fact]
    public void An_acronym_inside_an_identifier_is_one_part()
    {
        Assert.Equal(["parse", "json", "body"], IdentifierParts.Find("`parseJSONBody`").Select(p => p.Part));
    }
}
