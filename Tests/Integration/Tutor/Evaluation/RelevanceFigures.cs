using System.Globalization;
using BlazorJobs.Server.Jobs;
using BlazorJobs.Server.Tutor;

namespace BlazorJobs.Tests.Integration.Tutor.Evaluation;

/// <summary>How one question was answered, asked twice to see whether the answer is stable.</summary>
public sealed record EvaluatedAnswer(EvaluationQuestion Question, TutorAnswer First, TutorAnswer Second)
{
    public bool Refused => First.Sources.Count == 0;

    public bool RightLessonFirst => !Refused && Cites(First.Sources[0]);

    public bool RightLessonCited => First.Sources.Any(Cites);

    public bool Stable => First.Answer == Second.Answer && First.Sources.Select(s => s.Url).SequenceEqual(Second.Sources.Select(s => s.Url));

    private bool Cites(Source source) => source.Url.EndsWith($"?lesson={Question.Lesson}", StringComparison.Ordinal);

    public override string ToString() =>
        $"{(Question.OnTopic ? Question.Lesson : "off-topic")} ← \"{Question.Question}\" → {(Refused ? "refused" : string.Join(", ", First.Sources.Select(s => s.Url[(s.Url.IndexOf('=') + 1)..])))}";
}

/// <summary>The figures the issue sets targets for, over one half of the evaluation set.</summary>
public sealed record RelevanceFigures(string Split, IReadOnlyList<EvaluatedAnswer> Answers)
{
    private IReadOnlyList<EvaluatedAnswer> OnTopic => Answers.Where(a => a.Question.OnTopic).ToList();

    private IReadOnlyList<EvaluatedAnswer> OffTopic => Answers.Where(a => !a.Question.OnTopic).ToList();

    public double RightLessonFirst => Share(OnTopic, a => a.RightLessonFirst);

    public double RightLessonCited => Share(OnTopic, a => a.RightLessonCited);

    public double OffTopicRefused => Share(OffTopic, a => a.Refused);

    public double OnTopicRefused => Share(OnTopic, a => a.Refused);

    public int Unstable => Answers.Count(a => !a.Stable);

    public int MostSourcesCited => Answers.Max(a => a.First.Sources.Count);

    public IEnumerable<EvaluatedAnswer> Misses => Answers.Where(a => a.Question.OnTopic ? !a.RightLessonFirst : !a.Refused);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Split}: right lesson first {Count(OnTopic, a => a.RightLessonFirst)} ({RightLessonFirst:P1}), " +
        $"among the citations {Count(OnTopic, a => a.RightLessonCited)} ({RightLessonCited:P1}), " +
        $"off-topic refused {Count(OffTopic, a => a.Refused)} ({OffTopicRefused:P1}), " +
        $"on-topic refused {Count(OnTopic, a => a.Refused)} ({OnTopicRefused:P1}), " +
        $"unstable {Unstable}/{Answers.Count}, at most {MostSourcesCited} sources");

    private static double Share(IReadOnlyList<EvaluatedAnswer> answers, Func<EvaluatedAnswer, bool> rule) =>
        answers.Count == 0 ? 0 : (double)answers.Count(rule) / answers.Count;

    private static string Count(IReadOnlyList<EvaluatedAnswer> answers, Func<EvaluatedAnswer, bool> rule) => $"{answers.Count(rule)}/{answers.Count}";
}
