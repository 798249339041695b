using Npgsql;

namespace BlazorJobs.Server.Tutor;

/// <summary>A lesson of a published course, with the stems of its title and summary (what it is about).</summary>
public sealed record IndexedLesson(
    Guid Id, string Slug, string Title, int Position, Guid CourseId, string CourseSlug, string CourseTitle, int CourseOrder,
    IReadOnlySet<string> TitleStems, IReadOnlySet<string> SummaryStems)
{
    public List<IndexedChunk> Chunks { get; } = [];
}

/// <summary>A paragraph of a lesson: its text and, for each stem, the word positions it occurs at.</summary>
public sealed record IndexedChunk(long Id, int Position, string Text, IReadOnlyDictionary<string, int[]> Stems, int Length);

/// <summary>
/// The published lessons as an in-memory inverted index. The catalogue is a few hundred paragraphs, so
/// ranking in memory is cheaper than a round trip per scoring rule and lets the weighting be BM25 with
/// statistics over the whole catalogue, which PostgreSQL's <c>ts_rank</c> does not have (no IDF).
/// Stems come from PostgreSQL's english configuration, so questions and lessons are stemmed alike.
/// </summary>
public sealed class LessonIndex
{
    private readonly Dictionary<string, int> _chunkFrequency = new(StringComparer.Ordinal);

    private LessonIndex(IReadOnlyList<IndexedLesson> lessons, string version, Func<IReadOnlySet<string>, IReadOnlyDictionary<string, string>> wordStems)
    {
        Lessons = lessons;
        Version = version;
        foreach (var chunk in lessons.SelectMany(l => l.Chunks))
        {
            foreach (var stem in chunk.Stems.Keys)
            {
                _chunkFrequency[stem] = _chunkFrequency.GetValueOrDefault(stem) + 1;
            }
        }
        ChunkCount = Math.Max(1, lessons.Sum(l => l.Chunks.Count));
        AverageChunkLength = lessons.SelectMany(l => l.Chunks).Select(c => (double)c.Length).DefaultIfEmpty(1).Average();
        Vocabulary = _chunkFrequency.Keys.Concat(lessons.SelectMany(l => l.TitleStems.Concat(l.SummaryStems))).ToHashSet(StringComparer.Ordinal);
        WordStems = wordStems(Vocabulary);
    }

    /// <summary>Lessons in catalogue order (course order, then lesson position): the tie-break order.</summary>
    public IReadOnlyList<IndexedLesson> Lessons { get; }

    /// <summary>Identifies the content the index was built from; a different value means the lessons changed.</summary>
    public string Version { get; }

    public IReadOnlySet<string> Vocabulary { get; }

    /// <summary>Every word the lessons use, lower-cased as written, with its stem: what typo correction compares against.</summary>
    public IReadOnlyDictionary<string, string> WordStems { get; }

    public int ChunkCount { get; }

    public double AverageChunkLength { get; }

    public int ChunkFrequency(string stem) => _chunkFrequency.GetValueOrDefault(stem);

    /// <summary>
    /// BM25's inverse document frequency. A stem no lesson uses counts as if half a paragraph had it: the
    /// rarest thing a question can say, so leaving it unmatched costs the most coverage.
    /// </summary>
    public double InverseFrequency(string stem)
    {
        double frequency = Vocabulary.Contains(stem) ? ChunkFrequency(stem) : 0.5;
        return Math.Log(1 + (ChunkCount - frequency + 0.5) / (frequency + 0.5));
    }

    // Words are split on anything that is not a letter or digit before stemming ("app.Use" → app, use),
    // the same way questions are split, so both sides produce the same stems.
    private const string VersionSql = """
        SELECT count(*)::text || ':' || coalesce(max(c.id), 0)::text || ':' || coalesce(sum(length(c.text)), 0)::text
        FROM lesson_chunks c JOIN lessons l ON l.id = c.lesson_id JOIN courses co ON co.id = l.course_id AND co.published
        """;

    private const string LoadSql = """
        SELECT c.id, c.position, c.text, l.id, l.slug, l.title, l.position, co.id, co.slug, co.title, co.sort_order,
               ARRAY(SELECT lexeme || ':' || array_to_string(positions, ',')
                     FROM unnest(to_tsvector('english', regexp_replace(c.text, '[^[:alnum:]]+', ' ', 'g')))),
               ARRAY(SELECT lexeme FROM unnest(to_tsvector('english', regexp_replace(l.title, '[^[:alnum:]]+', ' ', 'g')))),
               ARRAY(SELECT lexeme FROM unnest(to_tsvector('english', regexp_replace(l.summary, '[^[:alnum:]]+', ' ', 'g')))),
               l.summary
        FROM lesson_chunks c JOIN lessons l ON l.id = c.lesson_id JOIN courses co ON co.id = l.course_id AND co.published
        ORDER BY co.sort_order, l.position, c.position
        """;

    public static async Task<string> CurrentVersionAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(VersionSql);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task<LessonIndex> LoadAsync(NpgsqlDataSource dataSource, string version, CancellationToken cancellationToken)
    {
        var lessons = new List<IndexedLesson>();
        var chunks = new List<(IndexedLesson Lesson, long Id, int Position, string Text, Dictionary<string, int[]> Stems)>();
        var texts = new List<string>();
        await using (var command = dataSource.CreateCommand(LoadSql))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var lessonId = reader.GetGuid(3);
                if (lessons.Count == 0 || lessons[^1].Id != lessonId)
                {
                    lessons.Add(new IndexedLesson(
                        lessonId, reader.GetString(4), reader.GetString(5), reader.GetInt32(6), reader.GetGuid(7), reader.GetString(8),
                        reader.GetString(9), reader.GetInt32(10),
                        reader.GetFieldValue<string[]>(12).ToHashSet(StringComparer.Ordinal),
                        reader.GetFieldValue<string[]>(13).ToHashSet(StringComparer.Ordinal)));
                    texts.Add(reader.GetString(5));
                    texts.Add(reader.GetString(14));
                }
                var stems = reader.GetFieldValue<string[]>(11).Select(ParseStem).ToDictionary(s => s.Stem, s => s.Positions, StringComparer.Ordinal);
                chunks.Add((lessons[^1], reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), stems));
                texts.Add(reader.GetString(2));
            }
        }
        var words = texts.SelectMany(t => QuestionConcepts.WordPattern().Matches(t.ToLowerInvariant()).Select(m => m.Value)).Distinct().ToArray();
        var wordStems = await StemAsync(dataSource, words, cancellationToken);
        var partStems = await StemAsync(dataSource, chunks.SelectMany(c => IdentifierParts.Find(c.Text).Select(p => p.Part)).Distinct().ToArray(), cancellationToken);
        foreach (var (lesson, id, position, text, stems) in chunks)
        {
            AddIdentifierParts(stems, text, partStems);
            AddCodeSymbols(stems, text);
            lesson.Chunks.Add(new IndexedChunk(id, position, text, stems, stems.Values.Sum(p => p.Length)));
        }
        return new LessonIndex(lessons, version, vocabulary => wordStems
            .Where(w => vocabulary.Contains(w.Value))
            .ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal));
    }

    /// <summary>Each identifier part's stem joins the paragraph's stems at the identifier's position.</summary>
    private static void AddIdentifierParts(Dictionary<string, int[]> stems, string text, IReadOnlyDictionary<string, string> partStems)
    {
        foreach (var group in IdentifierParts.Find(text)
                     .Select(p => (p.Position, Stem: partStems.GetValueOrDefault(p.Part, "")))
                     .Where(p => p.Stem.Length > 0 && !p.Stem.Contains(' '))
                     .GroupBy(p => p.Stem))
        {
            stems[group.Key] = (stems.GetValueOrDefault(group.Key) ?? []).Concat(group.Select(p => p.Position)).Distinct().Order().ToArray();
        }
    }

    /// <summary>Operators and keywords the word splitting drops ("===", "for...of") join as stems of their own.</summary>
    private static void AddCodeSymbols(Dictionary<string, int[]> stems, string text)
    {
        foreach (var group in CodeSymbols.Find(text).GroupBy(s => s.Stem))
        {
            stems[group.Key] = (stems.GetValueOrDefault(group.Key) ?? []).Concat(group.Select(s => s.Position)).Distinct().Order().ToArray();
        }
    }

    private static async Task<IReadOnlyDictionary<string, string>> StemAsync(NpgsqlDataSource dataSource, string[] words, CancellationToken cancellationToken)
    {
        var stems = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand(
            "SELECT w, coalesce((SELECT string_agg(lexeme, ' ') FROM unnest(to_tsvector('english', w))), '') FROM unnest(@words) AS w");
        command.Parameters.AddWithValue("words", words);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stems[reader.GetString(0)] = reader.GetString(1);
        }
        return stems;
    }

    /// <summary>
    /// Builds an index from lessons already in memory, written as stems (unit tests): each stem is its own word
    /// unless <paramref name="words"/> says which words the lessons wrote.
    /// </summary>
    public static LessonIndex From(IReadOnlyList<IndexedLesson> lessons, IReadOnlyDictionary<string, string>? words = null) =>
        new(lessons, "memory", vocabulary => words ?? vocabulary.ToDictionary(stem => stem, stem => stem, StringComparer.Ordinal));

    private static (string Stem, int[] Positions) ParseStem(string entry)
    {
        var colon = entry.LastIndexOf(':');
        return (entry[..colon], entry[(colon + 1)..].Split(',').Select(int.Parse).ToArray());
    }
}
