using System.Reflection;
using System.Text.Json;

namespace BlazorJobs.Tests.Integration.Tutor.Evaluation;

/// <summary>One question of the evaluation set; <see cref="Lesson"/> is null for a question the courses do not cover.</summary>
public sealed record EvaluationQuestion(string Split, string Question, string? Lesson)
{
    public bool OnTopic => Lesson is not null;
}

/// <summary>
/// The tutor's evaluation set (<c>questions.json</c>, embedded): questions written the way learners ask,
/// split into a tuning half (ranking was tuned against it) and a held-out half (only measured).
/// </summary>
public static class EvaluationSet
{
    public const string Tuning = "tuning";
    public const string HeldOut = "heldout";

    private sealed record Entry(string Split, string Question, string? Lesson);

    private sealed record File(List<Entry> OnTopic, List<Entry> OffTopic);

    public static IReadOnlyList<EvaluationQuestion> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("Evaluation.questions.json", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        var file = JsonSerializer.Deserialize<File>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException("The evaluation set is empty.");
        return file.OnTopic.Select(e => new EvaluationQuestion(e.Split, e.Question, e.Lesson ?? throw new InvalidOperationException($"'{e.Question}' has no lesson.")))
            .Concat(file.OffTopic.Select(e => new EvaluationQuestion(e.Split, e.Question, null)))
            .ToList();
    }
}
