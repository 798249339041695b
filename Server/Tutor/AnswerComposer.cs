using System.Text;

namespace BlazorJobs.Server.Tutor;

/// <summary>
/// Writes an answer from retrieved passages: the best sentences of the best lesson, in the order the
/// lesson tells them, a related point from each further lesson the search cited (up to three lessons),
/// the lesson's code as fenced blocks when the question asks for code, and where to read more — prose a
/// learner can follow, not a list of chunks. Pure, so it is tested without a database.
/// </summary>
public static class AnswerComposer
{
    public const string NoMatchAnswer =
        "I could not find that in the course material, so I would rather not guess. " +
        "Try rephrasing with the words a lesson might use, or pick one of the topics below.";

    private const int MaxLessons = 3;

    public static TutorAnswer Compose(IReadOnlyList<Passage> passages, IReadOnlyList<string> nextSuggestions, bool mentionCourse, bool showCode = false)
    {
        // The search orders lessons (the open lesson may lead); within a lesson, its best passage first.
        var byLesson = passages
            .GroupBy(p => p.LessonId)
            .Select(g => g.OrderByDescending(p => p.Rank).ToList())
            .Take(MaxLessons)
            .ToList();
        if (byLesson.Count == 0)
        {
            return new TutorAnswer(NoMatchAnswer, nextSuggestions, []);
        }

        var answer = new StringBuilder();
        var main = byLesson[0];
        var lead = main[0];
        if (mentionCourse)
        {
            answer.Append($"The **{lead.CourseTitle}** course covers this in *{lead.LessonTitle}*. ");
        }
        answer.Append(string.Join(' ', SentencesInLessonOrder(main, 3)));

        if (showCode && CodeSnippets.Fenced(main) is { Length: > 0 } code)
        {
            answer.Append("\n\n").Append(code);
        }

        foreach (var related in byLesson.Skip(1))
        {
            var sentences = SentencesInLessonOrder(related, 2);
            if (sentences.Count > 0)
            {
                answer.Append("\n\n").Append($"A related point from *{related[0].LessonTitle}*: ").Append(string.Join(' ', sentences));
            }
        }

        var sources = byLesson.Select(g => new Source($"{g[0].LessonTitle} — {g[0].CourseTitle}", g[0].Url)).ToList();
        var links = byLesson.Select(g => $"[{g[0].LessonTitle}]({g[0].Url})").ToList();
        answer.Append("\n\n").Append("Read more in ").Append(links.Count == 1 ? links[0] : $"{string.Join(", ", links[..^1])} and {links[^1]}").Append('.');
        return new TutorAnswer(answer.ToString(), nextSuggestions, sources);
    }

    /// <summary>The best sentences of a lesson's passages, kept in reading order so the paragraph flows.</summary>
    private static List<string> SentencesInLessonOrder(List<Passage> lessonPassages, int max)
    {
        var chosen = new List<(int Passage, int Position, string Sentence)>();
        for (var p = 0; p < lessonPassages.Count && chosen.Count < max; p++)
        {
            var passage = lessonPassages[p];
            var best = passage.BestSentences.Count > 0 ? passage.BestSentences : [passage.Text];
            foreach (var sentence in best.Take(max - chosen.Count))
            {
                chosen.Add((p, passage.Text.IndexOf(sentence, StringComparison.Ordinal), sentence.Trim()));
            }
        }
        return chosen.OrderBy(c => c.Passage).ThenBy(c => c.Position).Select(c => c.Sentence).Distinct().ToList();
    }
}
