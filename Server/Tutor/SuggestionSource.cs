using Npgsql;

namespace BlazorJobs.Server.Tutor;

/// <summary>Next-question suggestions: lessons beside the one that answered, or topics to start from when nothing matched.</summary>
public sealed class SuggestionSource(CourseSearch search, NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<string>> SuggestAsync(IReadOnlyList<Passage> passages, Guid? courseId, CancellationToken cancellationToken)
    {
        var used = passages.Select(p => p.LessonId).ToHashSet();
        var titles = new List<string>();
        if (passages.Count > 0)
        {
            foreach (var (id, title, _) in await search.LessonsNearAsync(passages[0].LessonId, cancellationToken))
            {
                if (!used.Contains(id))
                {
                    titles.Add(title);
                }
            }
        }
        else
        {
            titles.AddRange(await StarterTopicsAsync(courseId, cancellationToken));
        }

        return titles.Take(3).Select(InSentence).Select((title, i) => i switch
        {
            0 => $"Can you explain {title}?",
            1 => $"What should I know about {title}?",
            _ => $"Give me an example of {title}",
        }).ToList();
    }

    /// <summary>"The box model" reads as "the box model" mid-sentence; "CSS grid" keeps its capitals.</summary>
    private static string InSentence(string title) =>
        title.Length > 1 && char.IsUpper(title[0]) && char.IsLower(title[1]) ? char.ToLowerInvariant(title[0]) + title[1..] : title;

    /// <summary>Opening lessons of the course (or of each course): good first questions.</summary>
    private async Task<List<string>> StarterTopicsAsync(Guid? courseId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT l.title FROM lessons l JOIN courses c ON c.id = l.course_id AND c.published
            WHERE (@course::uuid IS NULL OR l.course_id = @course) AND l.position <= CASE WHEN @course::uuid IS NULL THEN 1 ELSE 3 END
            ORDER BY c.sort_order, l.position
            LIMIT 3
            """);
        command.Parameters.Add(new NpgsqlParameter("course", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)courseId ?? DBNull.Value });
        var titles = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            titles.Add(reader.GetString(0));
        }
        return titles;
    }
}
