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

/// <summary>PostgreSQL full-text search over the lesson chunks: the retrieval both tutors stand on.</summary>
public sealed class CourseSearch(NpgsqlDataSource dataSource)
{
    /// <remarks>
    /// <c>plainto_tsquery</c> ANDs every word, so a question phrased differently from the text would
    /// match nothing; its lexemes are OR-ed instead and ranked with cover density, with a boost for
    /// passages whose lesson title matches and for the lesson the learner is reading. The best
    /// sentences of each passage are ranked in the same statement so the answer can quote them.
    /// </remarks>
    private const string SearchSql = """
        WITH q AS (
            SELECT NULLIF(replace(plainto_tsquery('english', @question)::text, '&', '|'), '')::tsquery AS query),
        hits AS (
            SELECT c.id, c.lesson_id, c.text, l.title AS lesson_title, l.slug AS lesson_slug, co.title AS course_title, co.slug AS course_slug,
                   (ts_rank_cd(c.search_vector, q.query, 32)
                     + 0.5 * ts_rank_cd(to_tsvector('english', l.title), q.query, 32)
                     + CASE WHEN c.lesson_id = @lesson THEN 0.05 ELSE 0 END)::float8 AS rank
            FROM lesson_chunks c
            JOIN lessons l ON l.id = c.lesson_id
            JOIN courses co ON co.id = l.course_id AND co.published
            CROSS JOIN q
            WHERE q.query IS NOT NULL AND c.search_vector @@ q.query
              AND (@course::uuid IS NULL OR l.course_id = @course)
            ORDER BY rank DESC
            LIMIT @limit)
        SELECT h.id, h.lesson_id, h.lesson_title, h.lesson_slug, h.course_title, h.course_slug, h.text, h.rank,
               ARRAY(
                   SELECT s.sentence FROM (
                       SELECT sentence, ord, ts_rank(to_tsvector('english', sentence), q.query) AS sr
                       FROM unnest(regexp_split_to_array(h.text, '(?<=[.!?])\s+')) WITH ORDINALITY AS t(sentence, ord)) s
                   WHERE s.sr > 0
                   ORDER BY s.sr DESC, s.ord
                   LIMIT 3) AS best
        FROM hits h CROSS JOIN q
        ORDER BY h.rank DESC
        """;

    public async Task<IReadOnlyList<Passage>> SearchAsync(string question, Guid? courseId, Guid? lessonId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SearchSql);
        command.Parameters.AddWithValue("question", QueryExpansion.Expand(question));
        command.Parameters.Add(new NpgsqlParameter("course", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)courseId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("lesson", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)lessonId ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);

        var passages = new List<Passage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            passages.Add(new Passage(
                reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetDouble(7), reader.GetFieldValue<string[]>(8)));
        }
        return passages;
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
