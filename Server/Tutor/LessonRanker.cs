using System.Text.RegularExpressions;

namespace BlazorJobs.Server.Tutor;

/// <summary>A lesson's standing for a question: its score, how much of the question it covers, its best paragraphs.</summary>
public sealed record RankedLesson(IndexedLesson Lesson, double Score, double Coverage, IReadOnlyList<ScoredChunk> BestChunks);

/// <summary>A paragraph's score and its best sentences for the question (up to three, best first).</summary>
public sealed record ScoredChunk(IndexedChunk Chunk, double Score, IReadOnlyList<string> BestSentences);

/// <summary>
/// Ranks lessons for a question's concepts. Pure, so its rules are tested without a database.
/// <list type="bullet">
/// <item>A paragraph scores BM25 per concept (rare stems count more, repeated ones saturate, long paragraphs are
/// not favoured), plus a bonus for each pair of the question's concepts found within a few words of each other.</item>
/// <item>A lesson scores its best paragraph, a share of its second, and the concepts its title and summary name:
/// what a lesson is about counts beyond a word it happens to use.</item>
/// <item>Coverage, how much of the question the lesson answers, is <see cref="QuestionCoverage"/>'s.</item>
/// <item>Ties go to catalogue order, so the same question always gets the same answer.</item>
/// </list>
/// </summary>
public static partial class LessonRanker
{
    // BM25's usual constants: term-frequency saturation and length normalisation.
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const double ProximityBonus = 0.5;
    private const int ProximityWindow = 4;
    private const double SecondChunkShare = 0.3;
    // A title word names what a lesson is about, but generic title words ("properties", "search", "layout") pulled
    // questions that merely use them: at full weight the tuning half's right-lesson-first was two questions lower.
    private const double TitleWeight = 0.75;
    private const double SummaryWeight = 0.5;

    public static IReadOnlyList<RankedLesson> Rank(IReadOnlyList<Concept> concepts, LessonIndex index, IEnumerable<IndexedLesson> lessons)
    {
        var questionWeight = concepts.Sum(c => c.Weight);
        if (questionWeight <= 0)
        {
            return [];
        }
        var ranked = new List<(RankedLesson Ranked, int Order)>();
        var order = 0;
        foreach (var lesson in lessons)
        {
            var chunks = lesson.Chunks
                .Select(chunk => (Chunk: chunk, Scored: ScoreChunk(chunk, concepts, index)))
                .OrderByDescending(c => c.Scored.Score).ThenBy(c => c.Chunk.Position)
                .ToList();
            var about = 0.0;
            foreach (var concept in concepts)
            {
                about += concept.Alternatives.Max(a => (double?)(a.Weight * index.InverseFrequency(a.Stem)
                    * ((lesson.TitleStems.Contains(a.Stem) ? TitleWeight : 0) + (lesson.SummaryStems.Contains(a.Stem) ? SummaryWeight : 0)))) ?? 0;
            }
            var first = chunks.Count > 0 ? chunks[0].Scored.Score : 0;
            var second = chunks.Count > 1 ? chunks[1].Scored.Score : 0;
            var coverage = QuestionCoverage.Of(concepts, lesson);
            var best2 = chunks.Take(2).Where(c => c.Scored.Score > 0)
                .Select(c => new ScoredChunk(c.Chunk, c.Scored.Score, BestSentences(c.Chunk, concepts)))
                .ToList();
            ranked.Add((new RankedLesson(lesson, first + SecondChunkShare * second + about, coverage, best2), order++));
        }
        return ranked
            .OrderByDescending(r => r.Ranked.Score).ThenBy(r => r.Ranked.Lesson.CourseOrder).ThenBy(r => r.Ranked.Lesson.Position).ThenBy(r => r.Order)
            .Select(r => r.Ranked)
            .ToList();
    }

    private static (double Score, List<int> Matched) ScoreChunk(IndexedChunk chunk, IReadOnlyList<Concept> concepts, LessonIndex index)
    {
        var score = 0.0;
        var matched = new List<int>();
        var lengthNorm = K1 * (1 - B + B * chunk.Length / index.AverageChunkLength);
        for (var i = 0; i < concepts.Count; i++)
        {
            var best = 0.0;
            foreach (var alternative in concepts[i].Alternatives)
            {
                if (chunk.Stems.TryGetValue(alternative.Stem, out var positions))
                {
                    var tf = positions.Length;
                    best = Math.Max(best, alternative.Weight * index.InverseFrequency(alternative.Stem) * tf * (K1 + 1) / (tf + lengthNorm));
                }
            }
            if (best > 0)
            {
                matched.Add(i);
                score += best;
            }
        }
        return (score + ProximityBonus * Proximity(chunk, concepts, matched), matched);
    }

    /// <summary>Phrase and proximity: every pair of matched concepts a few words apart adds the lighter one's weight.</summary>
    private static double Proximity(IndexedChunk chunk, IReadOnlyList<Concept> concepts, List<int> matched)
    {
        var positions = matched.Select(i => concepts[i].Alternatives
            .SelectMany(a => chunk.Stems.TryGetValue(a.Stem, out var p) ? p : []).Order().ToArray()).ToList();
        var bonus = 0.0;
        for (var x = 0; x < matched.Count; x++)
        {
            for (var y = x + 1; y < matched.Count; y++)
            {
                if (positions[x].Any(p => positions[y].Any(q => Math.Abs(p - q) <= ProximityWindow)))
                {
                    bonus += Math.Min(concepts[matched[x]].Weight, concepts[matched[y]].Weight);
                }
            }
        }
        return bonus;
    }

    /// <summary>
    /// The sentences of a paragraph that match most of the question, best first. Word positions are counted
    /// the way the index counts them (runs of letters and digits), so each sentence knows its stems.
    /// </summary>
    private static IReadOnlyList<string> BestSentences(IndexedChunk chunk, IReadOnlyList<Concept> concepts)
    {
        var scored = new List<(string Sentence, double Score, int Order)>();
        var start = 1;
        var order = 0;
        foreach (var sentence in SentenceBreak().Split(chunk.Text))
        {
            var end = start + QuestionConcepts.WordPattern().Count(sentence);
            var score = 0.0;
            foreach (var concept in concepts)
            {
                var hit = concept.Alternatives.Where(a => chunk.Stems.TryGetValue(a.Stem, out var p) && p.Any(x => x >= start && x < end))
                    .Select(a => a.Weight).DefaultIfEmpty(0).Max();
                score += hit * concept.Weight;
            }
            if (score > 0)
            {
                scored.Add((sentence.Trim(), score, order));
            }
            start = end;
            order++;
        }
        return scored.OrderByDescending(s => s.Score).ThenBy(s => s.Order).Take(3).Select(s => s.Sentence).ToList();
    }

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceBreak();
}
