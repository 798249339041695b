using BlazorJobs.Server.Tutor;

namespace BlazorJobs.Tests.Unit;

public sealed class LessonRankerTests
{
    private static int _nextChunk;

    /// <summary>A lesson whose paragraphs are given already stemmed, one stem per word position.</summary>
    private static IndexedLesson Lesson(string slug, string title, int position, params string[] paragraphs)
    {
        var lesson = new IndexedLesson(Guid.NewGuid(), slug, title, position, Guid.Empty, "course", "Course", 1,
            title.Split(' ').ToHashSet(), new HashSet<string>());
        foreach (var (text, i) in paragraphs.Select((p, i) => (p, i)))
        {
            var stems = text.Split(' ').Select((stem, at) => (stem, at: at + 1))
                .GroupBy(s => s.stem).ToDictionary(g => g.Key, g => g.Select(s => s.at).ToArray());
            lesson.Chunks.Add(new IndexedChunk(Interlocked.Increment(ref _nextChunk), i + 1, text + ".", stems, stems.Values.Sum(p => p.Length)));
        }
        return lesson;
    }

    private static IReadOnlyList<Concept> Concepts(LessonIndex index, params string[] stems) =>
        QuestionConcepts.Build(string.Join(' ', stems), stems.ToDictionary(s => s, s => s), index);

    private static readonly IReadOnlyList<IndexedLesson> Catalogue =
    [
        Lesson("http-headers", "http header", 1, "header send request", "header cache control request", "request header list"),
        Lesson("semantic-html", "semant html", 2, "nav header footer element instead div", "articl section element"),
        Lesson("promises", "promis", 3, "promis all run request parallel wait", "promis reject catch error"),
    ];

    [Fact]
    public void A_rare_word_outweighs_a_common_word_that_names_another_lesson()
    {
        var index = LessonIndex.From(Catalogue);

        var ranked = LessonRanker.Rank(Concepts(index, "nav", "footer", "header"), index, index.Lessons);

        Assert.Equal("semantic-html", ranked[0].Lesson.Slug);
    }

    [Fact]
    public void A_question_sharing_only_one_common_word_is_not_covered()
    {
        var index = LessonIndex.From(Catalogue);

        var ranked = LessonRanker.Rank(Concepts(index, "pizza", "topping", "request"), index, index.Lessons);

        Assert.Empty(CourseSearch.Answering(ranked, openLessonId: null, minCoverage: 0.45));
    }

    private static double Coverage(string slug, params string[] stems)
    {
        var index = LessonIndex.From(Catalogue);
        return LessonRanker.Rank(Concepts(index, stems), index, index.Lessons).Single(r => r.Lesson.Slug == slug).Coverage;
    }

    [Fact]
    public void A_short_word_read_as_a_lesson_word_counts_half_towards_coverage_a_long_misspelling_fully()
    {
        // http-headers is about both "header" (its title) and "request" (in all three paragraphs).
        Assert.Equal(1.0, Coverage("http-headers", "header", "request"), 6);
        Assert.InRange(Coverage("http-headers", "header", "reqest"), 0.5, 0.9);
        Assert.Equal(1.0, Coverage("http-headers", "header", "requestt"), 6);
    }

    [Fact]
    public void A_number_no_lesson_uses_costs_the_question_no_coverage()
    {
        Assert.Equal(Coverage("promises", "promis", "reject"), Coverage("promises", "promis", "reject", "40"), 6);
    }

    [Fact]
    public void A_word_the_lesson_only_mentions_in_passing_covers_less_than_one_it_keeps_coming_back_to()
    {
        // http-headers names "header" in its title and uses "request" in all three paragraphs; promises names "promis"
        // in its title but says "reject" once.
        Assert.Equal(1.0, Coverage("http-headers", "header", "request"), 6);
        Assert.InRange(Coverage("promises", "promis", "reject"), 0.5, 0.95);
    }

    [Fact]
    public void A_question_about_one_thing_is_covered_only_by_a_lesson_about_it()
    {
        Assert.Equal(1.0, Coverage("http-headers", "header"), 6);
        Assert.Equal(0.0, Coverage("http-headers", "cache"), 6);
    }

    [Fact]
    public void A_request_to_be_taught_is_judged_on_its_topic_alone()
    {
        // "teach me … basics" or "is there a lesson on …" frame the question: no lesson says them, and they are not its topic.
        Assert.Equal(Coverage("promises", "promis", "reject"), Coverage("promises", "teach", "promis", "reject", "basic"), 6);
        Assert.Equal(Coverage("promises", "promis", "reject"), Coverage("promises", "lesson", "promis", "reject"), 6);
    }

    [Fact]
    public void Equal_scores_are_ordered_by_the_catalogue_so_answers_never_vary()
    {
        var twins = new[] { Lesson("second", "b", 2, "same word"), Lesson("first", "a", 1, "same word") };
        var index = LessonIndex.From(twins);

        var ranked = LessonRanker.Rank(Concepts(index, "same", "word"), index, index.Lessons);

        Assert.Equal(["first", "second"], ranked.Select(r => r.Lesson.Slug));
    }

    [Fact]
    public void The_open_lesson_leads_only_when_it_answers_too()
    {
        static RankedLesson Ranked(string slug, double score, double coverage)
        {
            var lesson = Lesson(slug, slug, 1, "text");
            return new RankedLesson(lesson, score, coverage, [new ScoredChunk(lesson.Chunks[0], score, [])]);
        }
        var best = Ranked("best", 10, 0.9);
        var answersToo = Ranked("answers-too", 6, 0.6);
        var weak = Ranked("weak", 3, 0.9);
        var offTopic = Ranked("shares-words", 8, 0.2);
        IReadOnlyList<RankedLesson> ranked = [best, offTopic, answersToo, weak];

        Assert.Equal(["best", "answers-too"], CourseSearch.Answering(ranked, openLessonId: null, 0.45).Select(r => r.Lesson.Slug));
        Assert.Equal(["answers-too", "best"], CourseSearch.Answering(ranked, answersToo.Lesson.Id, 0.45).Select(r => r.Lesson.Slug));
        Assert.Equal(["best", "answers-too"], CourseSearch.Answering(ranked, weak.Lesson.Id, 0.45).Select(r => r.Lesson.Slug));
        Assert.Equal(["best", "answers-too"], CourseSearch.Answering(ranked, offTopic.Lesson.Id, 0.45).Select(r => r.Lesson.Slug));
    }

    [Theory]
    [InlineData("flexbx", "flexbox")]
    [InlineData("autovacum", "autovacuum")]
    [InlineData("promiss", "promis")]
    public void A_misspelt_word_is_read_as_the_nearest_lesson_word(string typed, string meant)
    {
        var index = LessonIndex.From([Lesson("l", "x", 1, "flexbox autovacuum promis")]);

        Assert.Equal(meant, TypoCorrection.Nearest(typed, index));
    }

    [Fact]
    public void A_misspelling_is_compared_with_the_words_the_lessons_use_not_their_stems()
    {
        // "verticaly" stems to "verticali", far from "vertic" (the stem of "vertically"); the words are one letter apart.
        var index = LessonIndex.From([Lesson("l", "x", 1, "vertic")], new Dictionary<string, string> { ["vertically"] = "vertic" });

        Assert.Equal("vertic", TypoCorrection.Nearest("verticaly", index));
    }

    [Theory]
    [InlineData("jquery click handler", true)]
    [InlineData("coming from jquery, how do i attach a click handler in plain js", false)]
    public void A_technology_the_courses_do_not_teach_is_refused_unless_named_beside_one_they_do(string question, bool foreign)
    {
        var index = LessonIndex.From([Lesson("dom-events", "event", 1, "click handler attach")]);
        var stems = QuestionConcepts.WordsToStem(question).ToDictionary(w => w, w => w);

        Assert.Equal(foreign, QuestionConcepts.NamesForeignTechnology(question, stems, index));
    }

    [Theory]
    [InlineData("why doesn't my grid wrap", "why does my grid wrap")]
    [InlineData("I've got an error, can't you help", "I got an error, can you help")]
    [InlineData("what's the user's role, I'd ask", "what the user role, I ask")]
    [InlineData("it won't load", "it will load")]
    public void Contractions_are_taken_apart_so_their_endings_do_not_count_as_rare_words(string typed, string read)
    {
        Assert.Equal(read, Contractions.Expand(typed));
    }

    [Theory]
    [InlineData("pizza")]
    [InlineData("node")]
    public void A_word_far_from_every_lesson_word_is_left_alone(string typed)
    {
        var index = LessonIndex.From([Lesson("l", "x", 1, "flexbox autovacuum promis")]);

        Assert.Null(TypoCorrection.Nearest(typed, index));
    }
}
