using BlazorJobs.Server.Tutor;

namespace BlazorJobs.Tests.Unit;

public sealed class CatalogGuideTests
{
    [Theory]
    [InlineData("Which course should a beginner start with?")]
    [InlineData("What courses do you offer?")]
    [InlineData("Where should I start?")]
    [InlineData("Do you have a course for beginners?")]
    public void Questions_about_choosing_a_course_go_to_the_catalogue(string question) =>
        Assert.True(CatalogGuide.IsAbout(question));

    [Theory]
    [InlineData("What courses cover flexbox?")]
    [InlineData("Which course teaches PostgreSQL indexes?")]
    [InlineData("Which course covers async/await?")]
    [InlineData("In which course do you teach flexbox?")]
    [InlineData("How do I centre a div?")]
    [InlineData("What is MVCC in PostgreSQL?")]
    public void Topic_questions_go_to_the_lessons(string question) =>
        Assert.False(CatalogGuide.IsAbout(question));

    [Theory]
    [InlineData("Which course teaches PostgreSQL indexes?", "PostgreSQL indexes?")]
    [InlineData("which course covers async await", "async await")]
    [InlineData("In which course do you teach flexbox?", "flexbox?")]
    [InlineData("How do I centre a div?", "How do I centre a div?")]
    [InlineData("Which course teaches", "Which course teaches")]
    public void Which_course_teaches_a_topic_is_searched_as_the_topic(string question, string searched) =>
        Assert.Equal(searched, CatalogGuide.TopicOf(question));
}
