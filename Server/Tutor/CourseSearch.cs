using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Server.Tutor;

/// <summary>A lesson passage found for a question, with its best sentences.</summary>
public sealed record Passage(
    long ChunkId,
    Guid LessonId,
    string LessonTitle,
    string LessonSlug,
    string CourseTitle,
    string CourseSlug,
    string Text,
    double Rank,
    IReadOnlyList<string> BestSentences)
{
    public string Url => $"/courses/{CourseSlug}?lesson={LessonSlug}";
}

/// <summary>
/// The retrieval both tutors stand on: the question's concepts ranked against the lesson index, and only
/// lessons that actually answer it returned — none at all when the question is not about the courses.
/// </summary>
public sealed class CourseSearch(NpgsqlDataSource dataSource, IOptions<TutorOptions> options)
{
    /// <summary>Lessons scoring below this share of the best one add nothing worth citing.</summary>
    private const double CitableShareOfBest = 0.5;
    private const int MaxLessons = 3;

    private const string StemSql = """
        SELECT w, coalesce((SELECT string_agg(lexeme, ' ') FROM unnest(to_tsvector('english', w))), '')
        FROM unnest(@words) AS w
        """;

    private readonly SemaphoreSlim _loading = new(1, 1);
    private LessonIndex? _index;

    /// <summary>
    /// Passages of up to three lessons that answer the question, best lesson first; empty when nothing in
    /// the courses covers enough of it. The lesson the learner has open goes first whenever it answers.
    /// </summary>
    public async Task<IReadOnlyList<Passage>> SearchAsync(string question, Guid? courseId, Guid? lessonId, int limit, CancellationToken cancellationToken)
    {
        var index = await IndexAsync(cancellationToken);
        var stems = await StemAsync(QuestionConcepts.WordsToStem(question), cancellationToken);
        if (QuestionConcepts.NamesForeignTechnology(question, stems, index))
        {
            return [];
        }
        var concepts = QuestionConcepts.Build(question, stems, index);
        var ranked = LessonRanker.Rank(concepts, index, index.Lessons.Where(l => courseId is null || l.CourseId == courseId));
        var answering = Answering(ranked, lessonId, options.Value.Retrieval.MinCoverage);
        return answering
            .SelectMany(r => r.BestChunks.Select(c => new Passage(
                c.Chunk.Id, r.Lesson.Id, r.Lesson.Title, r.Lesson.Slug, r.Lesson.CourseTitle, r.Lesson.CourseSlug, c.Chunk.Text, r.Score, c.BestSentences)))
            .Take(limit)
            .ToList();
    }

    /// <summary>The lessons to cite, in order; empty when even the best one does not cover the question.</summary>
    public static IReadOnlyList<RankedLesson> Answering(IReadOnlyList<RankedLesson> ranked, Guid? openLessonId, double minCoverage)
    {
        if (ranked.Count == 0 || ranked[0].Score <= 0 || ranked[0].Coverage < minCoverage)
        {
            return [];
        }
        var best = ranked[0].Score;
        var citable = ranked.Where(r => r.Score >= CitableShareOfBest * best && r.Coverage >= minCoverage && r.BestChunks.Count > 0).ToList();
        // The open lesson leads when it answers the question too (a score the citation rule accepts), and only then.
        if (citable.FindIndex(r => r.Lesson.Id == openLessonId) is > 0 and var open)
        {
            var lesson = citable[open];
            citable.RemoveAt(open);
            citable.Insert(0, lesson);
        }
        return citable.Take(MaxLessons).ToList();
    }

    /// <summary>The lesson index, rebuilt when the published lessons change (checked with one small query).</summary>
    private async Task<LessonIndex> IndexAsync(CancellationToken cancellationToken)
    {
        var version = await LessonIndex.CurrentVersionAsync(dataSource, cancellationToken);
        if (_index?.Version == version)
        {
            return _index;
        }
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_index?.Version != version)
            {
                _index = await LessonIndex.LoadAsync(dataSource, version, cancellationToken);
            }
            return _index;
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> StemAsync(IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        var stems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (words.Count == 0)
        {
            return stems;
        }
        await using var command = dataSource.CreateCommand(StemSql);
        command.Parameters.AddWithValue("words", words.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stems[reader.GetString(0)] = reader.GetString(1);
        }
        return stems;
    }

    /// <summary>Lessons of a course in order, for suggesting what to ask next.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Title, Guid CourseId)>> LessonsNearAsync(Guid lessonId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT l.id, l.title, l.course_id FROM lessons l
            JOIN lessons anchor ON anchor.course_id = l.course_id AND anchor.id = @lesson
            WHERE l.id <> anchor.id
            ORDER BY abs(l.position - anchor.position), l.position
            LIMIT 4
            """);
        command.Parameters.AddWithValue("lesson", lessonId);
        var lessons = new List<(Guid, string, Guid)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lessons.Add((reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2)));
        }
        return lessons;
    }
}
