using BlazorJobs.Server.Tutor;

namespace BlazorJobs.Tests.Unit;

public sealed class AnswerComposerTests
{
    private static readonly Guid Flexbox = Guid.NewGuid();
    private static readonly Guid Grid = Guid.NewGuid();
    private static readonly Guid BoxModel = Guid.NewGuid();
    private static readonly string[] Suggestions = ["Can you explain CSS grid?", "What should I know about the box model?"];

    private static Passage Passage(Guid lesson, string title, string slug, string text, double rank, params string[] best) =>
        new(Random.Shared.NextInt64(), lesson, title, slug, "HTML & CSS Foundations", "html-css-foundations", text, rank, best);

    [Fact]
    public void No_passages_give_the_honest_no_match_answer_with_no_sources()
    {
        var answer = AnswerComposer.Compose([], Suggestions, mentionCourse: true);

        Assert.Equal(AnswerComposer.NoMatchAnswer, answer.Answer);
        Assert.Empty(answer.Sources);
        Assert.Equal(Suggestions, answer.NextSuggestions);
    }

    [Fact]
    public void The_best_sentences_are_quoted_in_the_order_the_lesson_tells_them()
    {
        var passage = Passage(Flexbox, "Flexbox layout", "flexbox-layout",
            "Flexbox lays items out in one direction. It is not a grid. Use justify-content to centre them.", 0.5,
            "Use justify-content to centre them.", "Flexbox lays items out in one direction.");

        var answer = AnswerComposer.Compose([passage], Suggestions, mentionCourse: false);

        Assert.StartsWith("Flexbox lays items out in one direction. Use justify-content to centre them.", answer.Answer);
        Assert.DoesNotContain("It is not a grid.", answer.Answer);
    }

    [Fact]
    public void At_most_three_sentences_come_from_the_main_lesson()
    {
        var passages = new[]
        {
            Passage(Flexbox, "Flexbox layout", "flexbox-layout", "One. Two.", 0.9, "One.", "Two."),
            Passage(Flexbox, "Flexbox layout", "flexbox-layout", "Three. Four.", 0.8, "Three.", "Four."),
        };

        var answer = AnswerComposer.Compose(passages, Suggestions, mentionCourse: false);

        Assert.StartsWith("One. Two. Three.", answer.Answer);
        Assert.DoesNotContain("Four.", answer.Answer);
    }

    [Fact]
    public void Naming_the_course_happens_only_when_the_question_was_not_asked_inside_one()
    {
        var passage = Passage(Flexbox, "Flexbox layout", "flexbox-layout", "Flexbox lays items out.", 0.5, "Flexbox lays items out.");

        var anywhere = AnswerComposer.Compose([passage], Suggestions, mentionCourse: true);
        var inCourse = AnswerComposer.Compose([passage], Suggestions, mentionCourse: false);

        Assert.StartsWith("The **HTML & CSS Foundations** course covers this in *Flexbox layout*. ", anywhere.Answer);
        Assert.DoesNotContain("HTML & CSS Foundations", inCourse.Answer);
    }

    [Fact]
    public void Each_further_lesson_adds_a_related_point_and_all_three_are_cited_with_links()
    {
        var passages = new[]
        {
            Passage(Flexbox, "Flexbox layout", "flexbox-layout", "Flexbox lays items out in a row.", 0.9, "Flexbox lays items out in a row."),
            Passage(Grid, "CSS grid layout", "css-grid-layout", "Grid handles rows and columns at once.", 0.4, "Grid handles rows and columns at once."),
            Passage(BoxModel, "The CSS box model", "the-box-model", "Every element is a box.", 0.3, "Every element is a box."),
        };

        var answer = AnswerComposer.Compose(passages, Suggestions, mentionCourse: false);

        Assert.Contains("\n\nA related point from *CSS grid layout*: Grid handles rows and columns at once.", answer.Answer);
        Assert.Contains("\n\nA related point from *The CSS box model*: Every element is a box.", answer.Answer);
        Assert.EndsWith(
            "\n\nRead more in [Flexbox layout](/courses/html-css-foundations?lesson=flexbox-layout), " +
            "[CSS grid layout](/courses/html-css-foundations?lesson=css-grid-layout) and " +
            "[The CSS box model](/courses/html-css-foundations?lesson=the-box-model).",
            answer.Answer);
        Assert.Equal(
            ["/courses/html-css-foundations?lesson=flexbox-layout", "/courses/html-css-foundations?lesson=css-grid-layout", "/courses/html-css-foundations?lesson=the-box-model"],
            answer.Sources.Select(s => s.Url));
        Assert.Equal("Flexbox layout — HTML & CSS Foundations", answer.Sources[0].Title);
    }

    [Fact]
    public void No_more_than_three_lessons_are_cited()
    {
        var passages = Enumerable.Range(1, 4)
            .Select(i => Passage(Guid.NewGuid(), $"Lesson {i}", $"lesson-{i}", $"Point {i}.", 1.0 / i, $"Point {i}."))
            .ToArray();

        var answer = AnswerComposer.Compose(passages, Suggestions, mentionCourse: false);

        Assert.Equal(3, answer.Sources.Count);
        Assert.DoesNotContain("Point 4.", answer.Answer);
    }

    [Fact]
    public void Code_the_question_asks_for_is_shown_as_a_fenced_block_in_the_courses_language()
    {
        var passage = Passage(Flexbox, "Flexbox layout", "flexbox-layout",
            "Declaring `display: flex` on a parent makes it a flex container. Use `justify-content: center;` to centre items.", 0.9,
            "Use `justify-content: center;` to centre items.");

        var withCode = AnswerComposer.Compose([passage], Suggestions, mentionCourse: false, showCode: true);
        var withoutCode = AnswerComposer.Compose([passage], Suggestions, mentionCourse: false, showCode: false);

        Assert.Contains("\n\n```css\njustify-content: center;\ndisplay: flex\n```", withCode.Answer);
        Assert.DoesNotContain("```", withoutCode.Answer);
    }

    [Fact]
    public void A_passage_without_ranked_sentences_is_quoted_whole()
    {
        var passage = Passage(Grid, "CSS grid layout", "css-grid-layout", "Grid handles rows and columns at once.", 0.5);

        var answer = AnswerComposer.Compose([passage], Suggestions, mentionCourse: false);

        Assert.StartsWith("Grid handles rows and columns at once.\n\nRead more in [CSS grid layout](/courses/html-css-foundations?lesson=css-grid-layout).", answer.Answer);
        Assert.Single(answer.Sources);
    }
}
