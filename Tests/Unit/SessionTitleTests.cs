using BlazorJobs.Server.Jobs;

namespace BlazorJobs.Tests.Unit;

public sealed class SessionTitleTests
{
    [Fact]
    public void A_short_question_is_its_own_title_on_one_line()
    {
        Assert.Equal("How do I centre a div?", JobQueue.SessionTitle("  How do I\ncentre   a div?  "));
    }

    [Fact]
    public void A_long_question_is_cut_to_the_title_length_with_an_ellipsis()
    {
        var title = JobQueue.SessionTitle(string.Join(' ', Enumerable.Repeat("flexbox", 30)));

        Assert.True(title.Length <= JobQueue.SessionTitleLength, $"{title.Length} characters");
        Assert.EndsWith("…", title);
        Assert.StartsWith("flexbox flexbox", title);
    }
}
