using BlazorJobs.Server.Jobs;
using BlazorJobs.Server.Tutor;

namespace BlazorJobs.Tests.Integration.Tutor;

public sealed class RetrievalTutorTests(TutorDatabase database) : IClassFixture<TutorDatabase>
{
    private static TutorRequest Ask(string question, Guid? courseId = null, Guid? lessonId = null, string kind = ChatbotKind.Tutor) =>
        new(Guid.NewGuid(), kind, question, courseId, lessonId, Attempt: 1);

    /// <remarks>None of these uses the lesson's title words; each needs stemming, synonyms or the body text to land.</remarks>
    [Theory]
    [InlineData("how can I make my page look good on phones", "html-css-foundations", "responsive-design-and-media-queries")]
    [InlineData("How do I line up items in a row and spread the space between them?", "html-css-foundations", "flexbox-layout")]
    [InlineData("How do I describe pictures for people using a screen reader?", "html-css-foundations", "accessibility-basics")]
    [InlineData("What happens when I try to change a const variable?", "modern-javascript", "let-const-and-scope")]
    [InlineData("How do I run several async operations at the same time and wait for all of them?", "modern-javascript", "promises-and-async-await")]
    [InlineData("How do I let only signed-in users call my endpoints with a token?", "aspnet-core-web-apis", "jwt-bearer-authentication")]
    [InlineData("How do I push updates from the server to the browser as they happen?", "aspnet-core-web-apis", "server-sent-events-and-real-time-updates")]
    [InlineData("How do I share a service like a database context across my endpoints?", "aspnet-core-web-apis", "dependency-injection-and-configuration")]
    [InlineData("My lookup of customers by email is slow on a big table", "postgresql-for-developers", "indexes-and-b-trees")]
    [InlineData("How can I keep JSON documents in a table and query inside them?", "postgresql-for-developers", "jsonb")]
    [InlineData("Why does my query not see rows another transaction just inserted?", "postgresql-for-developers", "transactions-and-isolation-levels")]
    public async Task A_question_phrased_differently_from_the_text_finds_the_right_lesson(string question, string course, string lesson)
    {
        var answer = await database.RetrievalTutor.AnswerAsync(Ask(question), new RecordingProgress(), CancellationToken.None);

        Assert.NotEmpty(answer.Sources);
        Assert.True(
            answer.Sources[0].Url == $"/courses/{course}?lesson={lesson}",
            $"expected {course}/{lesson} first, got: {string.Join(", ", answer.Sources.Select(s => s.Url))}");
        Assert.Contains(answer.Sources[0].Url, answer.Answer);
    }

    /// <remarks>The landing page offers "Which course teaches PostgreSQL indexes?" as a first question: a topic asked by course.</remarks>
    [Theory]
    [InlineData("Which course teaches PostgreSQL indexes?", "PostgreSQL for Developers", "postgresql-for-developers?lesson=indexes-and-b-trees")]
    [InlineData("Which course teaches flexbox?", "HTML & CSS Foundations", "html-css-foundations?lesson=flexbox-layout")]
    [InlineData("which course covers async await", "Modern JavaScript", "modern-javascript?lesson=promises-and-async-await")]
    public async Task The_landing_guide_names_the_course_that_teaches_a_topic(string question, string course, string lesson)
    {
        var answer = await database.RetrievalTutor.AnswerAsync(Ask(question, kind: ChatbotKind.Landing), new RecordingProgress(), CancellationToken.None);

        Assert.NotEmpty(answer.Sources);
        Assert.Equal($"/courses/{lesson}", answer.Sources[0].Url);
        Assert.Contains(course, answer.Answer);
    }

    [Fact]
    public async Task A_question_the_courses_do_not_cover_gets_the_honest_no_match_answer_with_suggestions()
    {
        var answer = await database.RetrievalTutor.AnswerAsync(Ask("What is the capital of France?"), new RecordingProgress(), CancellationToken.None);

        Assert.Equal(AnswerComposer.NoMatchAnswer, answer.Answer);
        Assert.Empty(answer.Sources);
        Assert.InRange(answer.NextSuggestions.Count, 2, 3);
        Assert.All(answer.NextSuggestions, s => Assert.False(string.IsNullOrWhiteSpace(s)));
    }

    [Theory]
    [InlineData("What is the best pizza topping?")]
    [InlineData("python pandas groupby example")]
    public async Task The_landing_guide_gives_the_honest_answer_to_what_the_courses_do_not_cover(string question)
    {
        var answer = await database.RetrievalTutor.AnswerAsync(Ask(question, kind: ChatbotKind.Landing), new RecordingProgress(), CancellationToken.None);

        Assert.Equal(AnswerComposer.NoMatchAnswer, answer.Answer);
        Assert.Empty(answer.Sources);
        Assert.NotEmpty(answer.NextSuggestions);
    }

    [Fact]
    public async Task The_open_lesson_leads_when_it_answers_the_question()
    {
        var semanticHtml = await database.LessonIdAsync("semantic-html");

        var answer = await database.RetrievalTutor.AnswerAsync(Ask("article vs section?", lessonId: semanticHtml), new RecordingProgress(), CancellationToken.None);

        Assert.Equal("/courses/html-css-foundations?lesson=semantic-html", answer.Sources[0].Url);
    }

    [Fact]
    public async Task The_open_lesson_does_not_take_over_a_question_it_does_not_answer()
    {
        var flexbox = await database.LessonIdAsync("flexbox-layout");

        var answer = await database.RetrievalTutor.AnswerAsync(
            Ask("why does my promise chain swallow errors", lessonId: flexbox), new RecordingProgress(), CancellationToken.None);

        Assert.Equal("/courses/modern-javascript?lesson=promises-and-async-await", answer.Sources[0].Url);
        Assert.DoesNotContain(answer.Sources, s => s.Url.EndsWith("lesson=flexbox-layout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_misspelt_topic_still_finds_its_lesson()
    {
        var answer = await database.RetrievalTutor.AnswerAsync(Ask("how do i centre things with flexbx"), new RecordingProgress(), CancellationToken.None);

        Assert.Equal("/courses/html-css-foundations?lesson=flexbox-layout", answer.Sources[0].Url);
    }

    [Fact]
    public async Task A_question_asking_for_code_gets_the_lessons_code_as_a_fenced_block()
    {
        var answer = await database.RetrievalTutor.AnswerAsync(
            Ask("show me the syntax to declare a css custom property"), new RecordingProgress(), CancellationToken.None);

        Assert.Equal("/courses/html-css-foundations?lesson=css-custom-properties", answer.Sources[0].Url);
        Assert.Matches(@"\n```css\n[^`]*--[\w-]+\s*:[^`]*\n```", answer.Answer);
    }

    [Fact]
    public async Task The_streamed_deltas_joined_equal_the_final_answer()
    {
        var progress = new RecordingProgress();

        var answer = await database.RetrievalTutor.AnswerAsync(Ask("What is the event loop in JavaScript?"), progress, CancellationToken.None);

        Assert.True(progress.Deltas.Count > 1, "the answer is streamed in several pieces");
        Assert.Equal(answer.Answer, progress.Text);
        Assert.Equal(["retrieving", "drafting"], progress.Stages);
    }

    [Fact]
    public async Task A_course_restriction_keeps_every_source_inside_that_course()
    {
        const string question = "How do I declare variables?";
        var javascript = await database.CourseIdAsync("modern-javascript");
        var unrestricted = await database.RetrievalTutor.AnswerAsync(Ask(question), new RecordingProgress(), CancellationToken.None);

        var restricted = await database.RetrievalTutor.AnswerAsync(Ask(question, javascript), new RecordingProgress(), CancellationToken.None);

        // The question alone leads elsewhere too, so the restriction is what keeps the answer in the course.
        Assert.Contains(unrestricted.Sources, s => !s.Url.StartsWith("/courses/modern-javascript?", StringComparison.Ordinal));
        Assert.NotEmpty(restricted.Sources);
        Assert.All(restricted.Sources, s => Assert.StartsWith("/courses/modern-javascript?", s.Url));
    }
}
