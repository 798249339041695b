using Microsoft.Extensions.Options;

namespace BlazorJobs.Server.Tutor;

/// <summary>
/// The default tutor: full-text retrieval over the seeded course content and an answer composed from
/// the best passages, streamed in pieces. Needs nothing outside the machine.
/// </summary>
public sealed class RetrievalTutor(CourseSearch search, SuggestionSource suggestions, CatalogGuide catalogue, IOptions<TutorOptions> options, TimeProvider time) : ITutor
{
    public async Task<TutorAnswer> AnswerAsync(TutorRequest request, ITutorProgress progress, CancellationToken cancellationToken)
    {
        if (request.Kind == ChatbotKind.Landing && CatalogGuide.IsAbout(request.Question))
        {
            await progress.ReportStageAsync("retrieving", "Looking through the catalogue", cancellationToken);
            var guide = await catalogue.AnswerAsync(request.Question, cancellationToken);
            await StreamAsync(guide.Answer, progress, cancellationToken);
            return guide;
        }

        await progress.ReportStageAsync("retrieving", "Searching the course material", cancellationToken);
        // A visitor asking which course teaches something asks about that something.
        var topic = request.Kind == ChatbotKind.Landing ? CatalogGuide.TopicOf(request.Question) : request.Question;
        var passages = await search.SearchAsync(topic, request.CourseId, request.LessonId, limit: 8, cancellationToken);

        await progress.ReportStageAsync("drafting", passages.Count > 0 ? "Writing the answer" : "No matching lesson found", cancellationToken);
        var next = await suggestions.SuggestAsync(passages, request.CourseId, cancellationToken);
        var answer = AnswerComposer.Compose(passages, next, mentionCourse: request.CourseId is null, showCode: CodeSnippets.IsWanted(topic));

        await StreamAsync(answer.Answer, progress, cancellationToken);
        return answer;
    }

    /// <summary>Streams a composed answer a few words at a time, as a language model would.</summary>
    private async Task StreamAsync(string text, ITutorProgress progress, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(options.Value.Retrieval.StreamDelayMs);
        foreach (var piece in TextPieces.Split(text, wordsPerPiece: 4))
        {
            await progress.WriteDeltaAsync(piece, cancellationToken);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }
}

/// <summary>Splits text into pieces of a few words that, joined, give the text back exactly.</summary>
public static class TextPieces
{
    public static IEnumerable<string> Split(string text, int wordsPerPiece)
    {
        var start = 0;
        var words = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]) && (i + 1 == text.Length || !char.IsWhiteSpace(text[i + 1])) && ++words == wordsPerPiece)
            {
                yield return text[start..(i + 1)];
                start = i + 1;
                words = 0;
            }
        }
        if (start < text.Length)
        {
            yield return text[start..];
        }
    }
}
