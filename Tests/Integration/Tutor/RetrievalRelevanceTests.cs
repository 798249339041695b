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

    [Fact]
    public void On_the_held_out_half_the_tutor_meets_the_relevance_targets()
    {
        output.WriteLine(evaluation.Tuning.ToString());
        output.WriteLine(evaluation.HeldOut.ToString());
        foreach (var miss in evaluation.HeldOut.Misses)
        {
            output.WriteLine($"  miss: {miss}");
        }

        var figures = evaluation.HeldOut;
        var report = $"{figures}\n{string.Join("\n", figures.Misses)}";
        Assert.True(figures.RightLessonFirst >= 0.90, report);
        Assert.True(figures.RightLessonCited >= 0.97, report);
        Assert.True(figures.OffTopicRefused >= 0.95, report);
        Assert.True(figures.OnTopicRefused <= 0.03, report);
    }

    [Fact]
    public void The_same_question_gets_the_same_answer_every_time()
    {
        Assert.Equal(0, evaluation.Tuning.Unstable + evaluation.HeldOut.Unstable);
    }
}
