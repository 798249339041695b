using BlazorJobs.Server.Jobs;
using BlazorJobs.Server.Tutor;
using BlazorJobs.Tests.Integration.Tutor.Evaluation;
using Xunit.Abstractions;

namespace BlazorJobs.Tests.Integration.Tutor;

/// <summary>
/// Runs the whole evaluation set through the default tutor once per test class (every question asked
/// twice) and holds the figures for both halves; the targets are checked on the held-out half only.
/// </summary>
public sealed class RelevanceEvaluation : IAsyncLifetime
{
    private readonly TutorDatabase _database = new();

    public RelevanceFigures Tuning { get; private set; } = null!;

    public RelevanceFigures HeldOut { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var answers = new List<EvaluatedAnswer>();
        foreach (var question in EvaluationSet.Load())
        {
            answers.Add(new EvaluatedAnswer(question, await AskAsync(question.Question), await AskAsync(question.Question)));
        }
        Tuning = new RelevanceFigures(EvaluationSet.Tuning, answers.Where(a => a.Question.Split == EvaluationSet.Tuning).ToList());
        HeldOut = new RelevanceFigures(EvaluationSet.HeldOut, answers.Where(a => a.Question.Split == EvaluationSet.HeldOut).ToList());
    }

    private Task<TutorAnswer> AskAsync(string question) =>
        _database.RetrievalTutor.AnswerAsync(
            new TutorRequest(Guid.NewGuid(), ChatbotKind.Tutor, question, CourseId: null, LessonId: null, Attempt: 1),
            new RecordingProgress(), CancellationToken.None);

    public Task DisposeAsync() => _database.DisposeAsync();
}

public sealed class RetrievalRelevanceTests(RelevanceEvaluation evaluation, ITestOutputHelper output) : IClassFixture<RelevanceEvaluation>
{
    [Fact]
    public void The_evaluation_set_is_big_enough_and_split_before_tuning()
    {
        var questions = EvaluationSet.Load();

        Assert.True(questions.Count(q => q.OnTopic) >= 100, "at least 100 on-topic questions");
        Assert.True(questions.Count(q => !q.OnTopic) >= 40, "at least 40 off-topic questions");
        Assert.All(questions, q => Assert.Contains(q.Split, new[] { EvaluationSet.Tuning, EvaluationSet.HeldOut }));
        Assert.Equal(questions.Count, questions.Select(q => q.Question).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    /// <summary>
    /// The tuning half's figures and misses, in a test of their own so that tuning can run it alone
    /// (<c>--filter "FullyQualifiedName~The_tuning_half"</c>) without seeing the held-out figures.
    /// </summary>
    [Fact]
    public void The_tuning_half_is_reported_with_its_misses()
    {
        output.WriteLine(evaluation.Tuning.ToString());
        // Only the tuning half's misses are printed: reading the held-out ones would be tuning against them.
        foreach (var miss in evaluation.Tuning.Misses)
        {
            output.WriteLine($"  tuning miss: {miss}");
        }

        Assert.NotEmpty(evaluation.Tuning.Answers);
    }

    /// <remarks>
    /// The targets for the held-out half are right lesson first ≥ 90%, among the citations ≥ 97%,
    /// off-topic refused ≥ 95%, on-topic refused ≤ 3%; this ranking reaches the second and the fourth, not yet the
    /// first and the third (they are printed beside the figures). The bar below is what it reaches on the held-out half
    /// (67/75, 73/75, 24/26, 2/75 since a word a lesson only mentions in passing counts less towards coverage and a
    /// request's teaching frame is left out; 67/75, 72/75, 24/26, 2/75 before; 65/75, 71/75, 24/26, 3/75 before
    /// misspellings were compared as words and contractions taken apart), so a change that makes retrieval worse fails
    /// here; raise it towards the targets as the ranking improves, never lower it to make a change pass.
    /// </remarks>
    [Fact]
    public void On_the_held_out_half_relevance_stays_at_or_above_the_bar()
    {
        output.WriteLine("targets (held-out): first >= 90%, cited >= 97%, off-topic refused >= 95%, on-topic refused <= 3% (first and off-topic not reached yet)");
        output.WriteLine("floor   (held-out): first >= 89.3%, cited >= 97.3%, off-topic refused >= 92.3%, on-topic refused <= 2.7%");
        output.WriteLine(evaluation.HeldOut.ToString());

        var figures = evaluation.HeldOut;
        var report = figures.ToString();
        Assert.True(figures.RightLessonFirst >= 67.0 / 75, report);
        Assert.True(figures.RightLessonCited >= 73.0 / 75, report);
        Assert.True(figures.OffTopicRefused >= 24.0 / 26, report);
        Assert.True(figures.OnTopicRefused <= 2.0 / 75, report);
    }

    [Fact]
    public void The_same_question_gets_the_same_answer_every_time()
    {
        Assert.Equal(0, evaluation.Tuning.Unstable + evaluation.HeldOut.Unstable);
    }
}
