using System.Text;
using BlazorJobs.Server.Jobs;

namespace BlazorJobs.Server.Tutor;

/// <summary>
/// Writes an answer from retrieved passages: the best sentences of the best lesson, in the order the
/// lesson tells them, a related point from a second lesson, and where to read more — prose a learner
/// can follow, not a list of chunks. Pure, so it is tested without a database.
/// </summary>
public static class AnswerComposer
{
    public const string NoMatchAnswer =
        "I could not find that in the course material, so I would rather not guess. " +
        "Try rephrasing with the words a lesson might use, or pick one of the topics below.";

    public static TutorAnswer Compose(IReadOnlyList<Passage> passages, IReadOnlyList<string> nextSuggestions, bool mentionCourse)
    {
        var byLesson = passages
            .GroupBy(p => p.LessonId)
            .Select(g => g.OrderByDescending(p => p.Rank).ToList())
            .Take(2)
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

        if (byLesson.Count > 1)
        {
            var related = byLesson[1];
            var sentences = SentencesInLessonOrder(related, 2);
            if (sentences.Count > 0)
            {
                answer.Append("\n\n").Append($"A related point from *{related[0].LessonTitle}*: ").Append(string.Join(' ', sentences));
            }
        }

        var sources = byLesson.Select(g => new Source($"{g[0].LessonTitle} — {g[0].CourseTitle}", g[0].Url)).ToList();
        answer.Append("\n\n").Append(sources.Count == 1
            ? $"Read more in [{byLesson[0][0].LessonTitle}]({sources[0].Url})."
            : $"Read more in [{byLesson[0][0].LessonTitle}]({sources[0].Url}) and [{byLesson[1][0].LessonTitle}]({sources[1].Url}).");
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
