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
/// synonyms, question scaffolding ("example", "way") counts a quarter, and a word no lesson uses is
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
    /// True when the question names a technology the catalogue does not teach and no lesson mentions.
    /// </summary>
    public static bool NamesForeignTechnology(string question, IReadOnlyDictionary<string, string> stems, LessonIndex index) =>
        ForeignWords(question).Any(word => stems.GetValueOrDefault(word) is { Length: > 0 } stem
            && stem.Split(' ').All(s => !index.Vocabulary.Contains(s)));

    public static IReadOnlyList<Concept> Build(string question, IReadOnlyDictionary<string, string> stems, LessonIndex index)
    {
        var concepts = new List<Concept>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in Split(question))
        {
            var candidates = part.Words
                .SelectMany(w => (part.IsStem ? w.Word : stems.GetValueOrDefault(w.Word) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => (Stem: s, w.Weight)))
                .ToList();
            if (candidates.Count == 0)
            {
                continue;
            }
            var own = candidates[0].Stem;
            if (!part.IsPhrase && !seen.Add(own))
            {
                continue;
            }
            var scale = !part.IsPhrase && DomainVocabulary.Filler.Contains(own) ? FillerWeight : 1.0;
            var alternatives = new List<Alternative>();
            var typoGuess = false;
            foreach (var (stem, weight) in candidates)
            {
                if (index.Vocabulary.Contains(stem))
                {
                    alternatives.Add(new Alternative(stem, weight * scale));
                }
                else if (weight == 1.0 && !part.IsPhrase && TypoCorrection.Nearest(stem, index) is { } corrected)
                {
                    alternatives.Add(new Alternative(corrected, TypoWeight * scale));
                    // A short word one letter from a lesson word is often another real word ("invest", "invert"),
                    // so it stays a guess; a long one ("autovacum") is almost always a slip.
                    typoGuess = stem.Length < TypoCorrection.LongWord;
                }
            }
            var conceptWeight = alternatives.Count > 0
                ? alternatives.Max(a => a.Weight * index.InverseFrequency(a.Stem))
                : index.InverseFrequency(own) * scale;
            concepts.Add(new Concept(own, alternatives, conceptWeight) { IsTypoGuess = typoGuess && alternatives.Count == 1, IsScaffolding = scale < 1.0 });
        }
        return concepts;
    }

    /// <summary>Code symbols and phrases first (each removed from the question), then every remaining word with its synonyms.</summary>
    private static List<Part> Split(string question)
    {
        var (symbols, remainder) = CodeSymbols.Read(question);
        var text = remainder.ToLowerInvariant();
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

/// <summary>Typo tolerance: a stem no lesson uses is read as the nearest stem the lessons do use.</summary>
public static class TypoCorrection
{
    /// <summary>
    /// One edit (insert, delete, substitute, swap) for stems of 5–7 letters, two from 8; the first letter
    /// must agree (people rarely mistype it, and it keeps "pizza" from becoming a lesson word). Ties go to
    /// the stem more paragraphs use, then to ordinal order, so the choice never varies.
    /// </summary>
    /// <summary>Stems this long get two edits, and a correction of them is trusted as fully as the word.</summary>
    public const int LongWord = 8;

    public static string? Nearest(string stem, LessonIndex index)
    {
        if (stem.Length < 5)
        {
            return null;
        }
        var allowed = stem.Length < LongWord ? 1 : 2;
        (int Distance, int Frequency, string Stem)? best = null;
        foreach (var candidate in index.Vocabulary)
        {
            if (Math.Abs(candidate.Length - stem.Length) > allowed || candidate[0] != stem[0])
            {
                continue;
            }
            var distance = Distance(stem, candidate);
            if (distance > allowed)
            {
                continue;
            }
            var entry = (distance, index.ChunkFrequency(candidate), candidate);
            if (best is null || entry.distance < best.Value.Distance
                || (entry.distance == best.Value.Distance && (entry.Item2 > best.Value.Frequency
                    || (entry.Item2 == best.Value.Frequency && string.CompareOrdinal(candidate, best.Value.Stem) < 0))))
            {
                best = entry;
            }
        }
        return best?.Stem;
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent swaps).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
