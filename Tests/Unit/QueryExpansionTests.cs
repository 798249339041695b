using BlazorJobs.Server.Tutor;

namespace BlazorJobs.Tests.Unit;

public sealed class QueryExpansionTests
{
    [Fact]
    public void Shorthand_gains_the_words_the_course_text_uses()
    {
        var expanded = QueryExpansion.Expand("How do I use async in JS?");

        Assert.StartsWith("How do I use async in JS?", expanded);
        Assert.Contains("asynchronous", expanded);
        Assert.Contains("javascript", expanded);
    }

    [Theory]
    [InlineData("phones", "phone")]
    [InlineData("indexes", "index")]
    [InlineData("screens", "screen")]
    public void A_plural_is_expanded_like_its_singular(string plural, string singular)
    {
        var fromPlural = QueryExpansion.Expand(plural)[plural.Length..];
        var fromSingular = QueryExpansion.Expand(singular)[singular.Length..];

        Assert.NotEqual("", fromSingular);
        Assert.Equal(fromSingular, fromPlural);
    }

    [Fact]
    public void A_question_without_shorthand_is_left_as_it_is()
    {
        Assert.Equal("What is the capital of France?", QueryExpansion.Expand("What is the capital of France?"));
    }
}
