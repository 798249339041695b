using System.ComponentModel.DataAnnotations;

namespace BlazorJobs.Server.Tutor;

/// <summary><c>Tutor:*</c>: which tutor answers, and its settings.</summary>
public sealed class TutorOptions
{
    public const string Section = "Tutor";

    /// <summary><c>Retrieval</c> (default, needs nothing outside the machine), <c>OpenAI</c> or <c>Synthetic</c>.</summary>
    [RegularExpression("^(?i)(Retrieval|OpenAI|Synthetic)$", ErrorMessage = "Tutor:Provider must be Retrieval, OpenAI or Synthetic.")]
    public string Provider { get; set; } = "Retrieval";

    public RetrievalTutorOptions Retrieval { get; set; } = new();
    public OpenAiTutorOptions OpenAI { get; set; } = new();
    public SyntheticTutorOptions Synthetic { get; set; } = new();
}

public sealed class RetrievalTutorOptions
{
    /// <summary>
    /// The share of a question (by weight: rare words weigh more) the best lesson must match for the tutor
    /// to answer; below it the tutor says the course does not cover it. A word a lesson mentions only in passing
    /// counts part (<see cref="QuestionCoverage"/>), so coverage runs lower than a plain share of matched words:
    /// 0.37 sits in the middle of the gap the evaluation set's tuning half shows between on-topic and off-topic questions.
    /// </summary>
    [Range(0.0, 1.0)] public double MinCoverage { get; set; } = 0.37;

    /// <summary>Pause between streamed pieces of a composed answer, so it reads as it arrives.</summary>
    [Range(0, 1000)] public int StreamDelayMs { get; set; } = 30;
}

public sealed class OpenAiTutorOptions
{
    /// <summary>Base URL of any OpenAI-compatible endpoint, e.g. https://api.openai.com/v1.</summary>
    public string? Endpoint { get; set; }
    public string Model { get; set; } = "gpt-4o-mini";
    public string? ApiKey { get; set; }
}

public sealed class SyntheticTutorOptions
{
    [Range(0, 3_600_000)] public int DurationMs { get; set; } = 2000;
    [Range(1, 10_000)] public int Deltas { get; set; } = 20;
    /// <summary>Every Nth job fails for good; 0 = never.</summary>
    [Range(0, int.MaxValue)] public int FailEvery { get; set; }
    /// <summary>
    /// Each delta's text carries the time the tutor produced it, i.e. when it was due (<c>part3@&lt;UTC ticks&gt; </c>): a
    /// delta event has no timestamp of its own, and the fan-out benchmark (target 5b) times token produced → token on screen.
    /// </summary>
    public bool StampDeltas { get; set; }
}
