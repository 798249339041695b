namespace BlazorJobs.Server.Tutor;

/// <summary>
/// How much of a question a lesson answers: the share of the question's weight (rare words weigh more) among the
/// concepts the lesson matches. Below <see cref="RetrievalTutorOptions.MinCoverage"/> the lesson does not answer
/// the question, however well it scores.
/// <list type="bullet">
/// <item>A concept the lesson is about counts fully: its title or summary names it, or its paragraphs use it again
/// and again. One it mentions only in passing counts <see cref="PassingMentionShare"/>: off-topic questions that
/// share a few ordinary words with a lesson ("commit message", "vacuum my carpet", "tie a tie") share them with a
/// sentence or two about something else, while the lesson that answers a question keeps coming back to its topic.
/// On the tuning half, with a threshold of 0.37, this refused 130 of 162 off-topic questions and 9 of 399 on-topic
/// ones, where plain matching at 0.45 refused 127 and 13, and no threshold over plain matching did as well on both.
/// Judging each passage alone (words said together) was tried and did worse: it refused on-topic questions whose
/// words a lesson spreads over two paragraphs.</item>
/// <item>A question with two or more real concepts (not scaffolding) is covered only if the lesson matches at least
/// two of them: one shared rare word ("exit", "speed") is a coincidence, not an answer. A question with one real
/// concept is covered only by a lesson about it: "how to tie a tie" is not answered by a sentence on tie-breaks, nor
/// "is there a course on machine learning" by one that mentions a machine.</item>
/// <item>A concept matched only through a typo correction is a guess ("invest" read as "invert"): it counts half.</item>
/// </list>
/// </summary>
public static class QuestionCoverage
{
    private const double PassingMentionShare = 0.6;
    private const int UsesToBeAbout = 3;
    private const double TypoGuessShare = 0.5;
    // A concept weighing less than this is scaffolding ("how", "example") and cannot make a match real.
    private const double RealConceptWeight = 1.0;

    public static double Of(IReadOnlyList<Concept> concepts, IndexedLesson lesson)
    {
        var questionWeight = concepts.Sum(c => c.Weight);
        if (questionWeight <= 0)
        {
            return 0;
        }
        var covered = 0.0;
        var realMatched = 0;
        var realAbout = 0;
        foreach (var concept in concepts)
        {
            var strength = Strength(concept, lesson);
            if (strength > 0)
            {
                covered += concept.Weight * strength * (concept.IsTypoGuess ? TypoGuessShare : 1);
                realMatched += IsReal(concept) ? 1 : 0;
                realAbout += IsReal(concept) && strength >= 1 ? 1 : 0;
            }
        }
        var realConcepts = concepts.Count(IsReal);
        return (realConcepts >= 2 && realMatched < 2) || (realConcepts == 1 && realAbout == 0) ? 0 : covered / questionWeight;
    }

    /// <summary>1 for a concept the lesson is about, <see cref="PassingMentionShare"/> for one it mentions in passing, 0 for none.</summary>
    private static double Strength(Concept concept, IndexedLesson lesson)
    {
        if (concept.Alternatives.Any(a => lesson.TitleStems.Contains(a.Stem) || lesson.SummaryStems.Contains(a.Stem)))
        {
            return 1;
        }
        var uses = lesson.Chunks.Sum(chunk => concept.Alternatives.Sum(a => chunk.Stems.TryGetValue(a.Stem, out var positions) ? positions.Length : 0));
        return uses >= UsesToBeAbout ? 1 : uses > 0 ? PassingMentionShare : 0;
    }

    /// <summary>
    /// A concept that says what the question is about: weighty enough, and not scaffolding ("a bad idea"), which
    /// weighs a quarter but can still pass the bar when no lesson uses the word at all.
    /// </summary>
    private static bool IsReal(Concept concept) => concept.Weight >= RealConceptWeight && !concept.IsScaffolding;
}
