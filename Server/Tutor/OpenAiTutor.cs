using System.Text;
using Microsoft.Extensions.AI;

namespace BlazorJobs.Server.Tutor;

/// <summary>
/// A language model behind any OpenAI-compatible endpoint (<c>Tutor:OpenAI:*</c>), given the same
/// retrieved passages as the retrieval tutor and told to answer only from them; its tokens stream as deltas.
/// When retrieval finds nothing relevant the model is not asked at all: it would answer from its own
/// knowledge, and the tutor promises answers from the course.
/// </summary>
public sealed class OpenAiTutor(IChatClient chat, CourseSearch search, SuggestionSource suggestions) : ITutor
{
    private const string Instructions =
        "You are the tutor of an online web-development course platform. Answer the learner's question using only " +
        "the course passages provided. Be clear and concise (at most three short paragraphs, Markdown allowed). " +
        "If the passages do not contain the answer, say you could not find it in the course material instead of guessing.";

    public async Task<TutorAnswer> AnswerAsync(TutorRequest request, ITutorProgress progress, CancellationToken cancellationToken)
    {
        await progress.ReportStageAsync("retrieving", "Searching the course material", cancellationToken);
        var passages = await search.SearchAsync(request.Question, request.CourseId, request.LessonId, limit: 6, cancellationToken);
        var next = await suggestions.SuggestAsync(passages, request.CourseId, cancellationToken);
        if (passages.Count == 0)
        {
            await progress.ReportStageAsync("drafting", "No matching lesson found", cancellationToken);
            await progress.WriteDeltaAsync(AnswerComposer.NoMatchAnswer, cancellationToken);
            return new TutorAnswer(AnswerComposer.NoMatchAnswer, next, []);
        }

        await progress.ReportStageAsync("drafting", "Writing the answer", cancellationToken);
        var context = new StringBuilder();
        foreach (var passage in passages)
        {
            context.Append("## ").Append(passage.LessonTitle).Append(" (").Append(passage.CourseTitle).AppendLine(")").AppendLine(passage.Text).AppendLine();
        }
        List<ChatMessage> messages =
        [
            new(ChatRole.System, Instructions),
            new(ChatRole.User, $"Course passages:\n\n{context}\n\nQuestion: {request.Question}"),
        ];

        var answer = new StringBuilder();
        await foreach (var update in chat.GetStreamingResponseAsync(messages, cancellationToken: cancellationToken))
        {
            if (!string.IsNullOrEmpty(update.Text))
            {
                answer.Append(update.Text);
                await progress.WriteDeltaAsync(update.Text, cancellationToken);
            }
        }

        var sources = passages.GroupBy(p => p.LessonId).Take(3)
            .Select(g => new Source($"{g.First().LessonTitle} — {g.First().CourseTitle}", g.First().Url)).ToList();
        return new TutorAnswer(answer.ToString(), next, sources);
    }
}
