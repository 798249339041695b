using System.Text.RegularExpressions;

namespace BlazorJobs.Server.Tutor;

/// <summary>A stem that satisfies a concept, and how much a match on it counts (1 for the learner's own word).</summary>
public sealed record Alternative(string Stem, double Weight);

/// <summary>
/// One thing a question says: a word, or an everyday phrase, with the stems that would match it in a lesson.
/// <see cref="Weight"/> is how much of the question it is (rare words weigh more), for coverage.
/// </summary>
public sealed record Concept(string Stem, IReadOnlyList<Alternative> Alternatives, double Weight)
{
    /// <summary>True when the only way a lesson matches it is a typo correction of the learner's word.</summary>
    public bool IsTypoGuess { get; init; }

    /// <summary>True for a word that says how the question is asked, not what it is about ("example", "idea").</summary>
    public bool IsScaffolding { get; init; }
}

/// <summary>
/// Turns a question into concepts: everyday phrases become the course's terms, words gain their domain
/// synonyms, the frame of a request to be taught ("teach me", "is there a lesson on") is left out, question
/// scaffolding ("example", "way") counts a quarter, and a word no lesson uses is
/// matched to the nearest lesson word one or two typos away.
/// </summary>
public static partial class QuestionConcepts
{
    private const double SynonymWeight = 0.7;
    private const double TypoWeight = 0.8;
    private const double FillerWeight = 0.25;

    /// <summary>A concept to be: its words (or, for a code symbol, its stem already), and whether it was a phrase.</summary>
    private sealed record Part(IReadOnlyList<(string Word, double Weight)> Words, bool IsPhrase, bool IsStem = false);

    /// <summary>The words whose stems <see cref="Build"/> needs, in the order it asks for them.</summary>
    public static IReadOnlyList<string> WordsToStem(string question) =>
        Split(question).Where(p => !p.IsStem).SelectMany(p => p.Words.Select(w => w.Word)).Concat(ForeignWords(question)).Distinct().ToList();

    /// <summary>
    /// True when the question is about a technology the catalogue does not teach and no lesson mentions. A question
    /// that also names one the catalogue teaches uses the other as a point of comparison ("coming from jQuery, how do
    /// I attach a click handler in plain JS"): it is judged on what it asks, with the foreign name an unmatched word.
    /// </summary>
    public static bool NamesForeignTechnology(string question, IReadOnlyDictionary<string, string> stems, LessonIndex index) =>
        ForeignWords(question).Any(word => stems.GetValueOrDefault(word) is { Length: > 0 } stem
            && stem.Split(' ').All(s => !index.Vocabulary.Contains(s)))
        && !WordPattern().Matches(question.ToLowerInvariant()).Any(m => DomainVocabulary.CatalogueTechnologies.Contains(m.Value));

    public static IReadOnlyList<Concept> Build(string question, IReadOnlyDictionary<string, string> stems, LessonIndex index)
    {
        var concepts = new List<Concept>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in Split(question))
        {
            var candidates = part.Words
                .SelectMany(w => (part.IsStem ? w.Word : stems.GetValueOrDefault(w.Word) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => (Stem: s, w.Weight, w.Word)))
                .ToList();
            if (candidates.Count == 0)
            {
                continue;
            }
            var own = candidates[0].Stem;
            if (!part.IsPhrase && (!seen.Add(own) || DomainVocabulary.AskingFrame.Contains(own)))
            {
                continue;
            }
            var scale = !part.IsPhrase && DomainVocabulary.Filler.Contains(own) ? FillerWeight : 1.0;
            var alternatives = new List<Alternative>();
            var typoGuess = false;
            foreach (var (stem, weight, word) in candidates)
            {
                if (index.Vocabulary.Contains(stem))
                {
                    alternatives.Add(new Alternative(stem, weight * scale));
                }
                else if (weight == 1.0 && !part.IsPhrase && !part.IsStem && TypoCorrection.Nearest(word, index) is { } corrected)
                {
                    alternatives.Add(new Alternative(corrected, TypoWeight * scale));
                    // A short word one letter from a lesson word is often another real word ("invest", "invert"),
                    // so it stays a guess; a long one ("autovacum") is almost always a slip.
                    typoGuess = word.Length < TypoCorrection.LongWord;
                }
            }
            // A word no lesson uses weighs the most, as the rarest thing a question can say, unless it is a number
            // ("in 40 places", "top 3"): a count says nothing about what the question is about.
            var conceptWeight = alternatives.Count > 0 ? alternatives.Max(a => a.Weight * index.InverseFrequency(a.Stem))
                : own.All(char.IsDigit) ? 0
                : index.InverseFrequency(own) * scale;
            concepts.Add(new Concept(own, alternatives, conceptWeight) { IsTypoGuess = typoGuess && alternatives.Count == 1, IsScaffolding = scale < 1.0 });
        }
        return concepts;
    }

    /// <summary>Code symbols and phrases first (each removed from the question), then every remaining word with its synonyms.</summary>
    private static List<Part> Split(string question)
    {
        var (symbols, remainder) = CodeSymbols.Read(question);
        var text = Contractions.Expand(remainder).ToLowerInvariant();
        var parts = symbols.Select(stem => new Part([(stem, 1.0)], IsPhrase: false, IsStem: true)).ToList();
        foreach (var (phrase, means) in DomainVocabulary.Phrases)
        {
            if (phrase.IsMatch(text))
            {
                text = phrase.Replace(text, " ");
                parts.Add(new Part(means.Split(' ').Select(w => (w, SynonymWeight)).ToList(), IsPhrase: true));
            }
        }
        foreach (Match word in WordPattern().Matches(text))
        {
            var words = new List<(string, double)> { (word.Value, 1.0) };
            if (DomainVocabulary.Synonyms.TryGetValue(word.Value, out var synonyms))
            {
                words.AddRange(synonyms.Split(' ').Select(s => (s, SynonymWeight)));
            }
            parts.Add(new Part(words, IsPhrase: false));
        }
        return parts;
    }

    private static IEnumerable<string> ForeignWords(string question) =>
        WordPattern().Matches(question.ToLowerInvariant()).Select(m => m.Value).Where(DomainVocabulary.ForeignTechnologies.Contains);

    // Letters and digits only, as the lesson index splits its text.
    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    public static partial Regex WordPattern();
}
