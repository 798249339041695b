using System.Diagnostics;
using Npgsql;

namespace BlazorJobs.Bench.Targets;

/// <summary>One page built by <see cref="FeedNPlusOne"/>: how long it took, how many statements, which items.</summary>
internal sealed record NPlusOnePage(TimeSpan Complete, int Statements, IReadOnlyList<string> Ids);

/// <summary>
/// Target 7's baseline: the feed's first page built the way the live feed replaced — one source after
/// another on one connection, each source's newest rows fetched, then the related names looked up one
/// item at a time (the course, and the lesson where there is one: the N+1 pattern an ORM's lazy
/// navigation produces), merged and cut to the page in the client. It reads the same 11 sources as the
/// server's catalogue and gives the same items and ids, which the benchmark checks against the JSON
/// page. Nothing is available before the last lookup returns, so its complete time is its time to the
/// first items.
/// </summary>
internal sealed class FeedNPlusOne(NpgsqlDataSource dataSource)
{
    private sealed record Row(string Id, DateTimeOffset SortDate, string Title);

    public async Task<NPlusOnePage> BuildFirstPageAsync(int limit)
    {
        var started = Stopwatch.GetTimestamp();
        var statements = 0;
        await using var connection = await dataSource.OpenConnectionAsync();

        async Task<List<object[]>> QueryAsync(string sql, params object[] parameters)
        {
            statements++;
            await using var command = new NpgsqlCommand(sql, connection);
            for (var i = 0; i < parameters.Length; i++)
            {
                command.Parameters.AddWithValue($"p{i}", parameters[i]);
            }
            var rows = new List<object[]>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var values = new object[reader.FieldCount];
                reader.GetValues(values);
                rows.Add(values);
            }
            return rows;
        }
        async Task<string> CourseTitleAsync(object courseId) => (string)(await QueryAsync("SELECT title, slug FROM courses WHERE id = @p0", courseId))[0][0];
        async Task<(string Title, object CourseId)> LessonAsync(object lessonId)
        {
            var lesson = (await QueryAsync("SELECT title, slug, course_id, position FROM lessons WHERE id = @p0", lessonId))[0];
            return ((string)lesson[0], lesson[2]);
        }
        string Newest(string columns, string from, string date) => $"SELECT {columns} FROM {from} ORDER BY {date} DESC, id DESC LIMIT @p0";

        var items = new List<Row>();
        foreach (var r in await QueryAsync(Newest("id, title, published_at", "announcements", "published_at"), limit))
        {
            items.Add(new Row(Key("announcement", r[0]), Date(r[2]), (string)r[1]));
        }
        foreach (var r in await QueryAsync(Newest("id, title, published_at", "courses WHERE published", "published_at"), limit))
        {
            items.Add(new Row(Key("course", r[0]), Date(r[2]), "New course: " + r[1]));
        }
        foreach (var r in await QueryAsync(Newest("id, course_id, title, published_at", "lessons WHERE course_id IN (SELECT id FROM courses WHERE published)", "published_at"), limit))
        {
            items.Add(new Row(Key("lesson", r[0]), Date(r[3]), $"New lesson in {await CourseTitleAsync(r[1])}: {r[2]}"));
        }
        foreach (var r in await QueryAsync(Newest("id, course_id, title, announced_at", "live_sessions", "announced_at"), limit))
        {
            items.Add(new Row(Key("live", r[0]), Date(r[3]), $"Live Q&A: {r[2]} ({await CourseTitleAsync(r[1])})"));
        }
        foreach (var r in await QueryAsync(Newest("id, title, sort_date", "feed_activities", "sort_date"), limit))
        {
            items.Add(new Row(Key("milestone", r[0]), Date(r[2]), (string)r[1]));
        }
        foreach (var r in await QueryAsync(Newest("id, course_id, rating, created_at", "course_reviews", "created_at"), limit))
        {
            items.Add(new Row(Key("review", r[0]), Date(r[3]), $"{await CourseTitleAsync(r[1])} rated {r[2]} out of 5"));
        }
        foreach (var r in await QueryAsync(Newest("id, course_id, issued_at", "certificates", "issued_at"), limit))
        {
            items.Add(new Row(Key("certificate", r[0]), Date(r[2]), "A learner completed " + await CourseTitleAsync(r[1])));
        }
        foreach (var r in await QueryAsync(Newest("id, lesson_id, subject, created_at", "discussion_posts", "created_at"), limit))
        {
            var lesson = await LessonAsync(r[1]);
            items.Add(new Row(Key("discussion", r[0]), Date(r[3]), $"New discussion: {r[2]} (in {await CourseTitleAsync(lesson.CourseId)}, lesson {lesson.Title})"));
        }
        foreach (var r in await QueryAsync(Newest("id, course_id, enrolled_at", "enrolments", "enrolled_at"), limit))
        {
            items.Add(new Row(Key("enrolment", r[0]), Date(r[2]), "A learner joined " + await CourseTitleAsync(r[1])));
        }
        foreach (var r in await QueryAsync(Newest("id, lesson_id, completed_at", "lesson_completions", "completed_at"), limit))
        {
            var lesson = await LessonAsync(r[1]);
            items.Add(new Row(Key("completion", r[0]), Date(r[2]), $"A learner finished {lesson.Title} ({await CourseTitleAsync(lesson.CourseId)})"));
        }
        foreach (var r in await QueryAsync(Newest("id, course_id, completed_at", "jobs WHERE kind = 'tutor' AND status = 'COMPLETED' AND course_id IS NOT NULL", "completed_at"), limit))
        {
            items.Add(new Row(Key("answer", r[0]), Date(r[2]), "The tutor answered a question about " + await CourseTitleAsync(r[1])));
        }

        // The feed's order: newest first, then id (ordinal) descending, as FeedOrder and the SQL's COLLATE "C" have it.
        var page = items.OrderByDescending(i => i.SortDate).ThenByDescending(i => i.Id, StringComparer.Ordinal).Take(limit).Select(i => i.Id).ToList();
        return new NPlusOnePage(Stopwatch.GetElapsedTime(started), statements, page);
    }

    /// <summary>The feed's id: uuid keys as 32 hex digits, bigint keys zero-padded to 19, so text order is key order.</summary>
    private static string Key(string type, object key) => key switch
    {
        Guid id => $"{type}:{id:N}",
        long id => $"{type}:{id:D19}",
        _ => throw new InvalidOperationException($"Unexpected {type} key type {key.GetType().Name}."),
    };

    private static DateTimeOffset Date(object value) => value switch
    {
        DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
        DateTimeOffset date => date,
        _ => throw new InvalidOperationException($"Unexpected date type {value.GetType().Name}."),
    };
}
