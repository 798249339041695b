using Npgsql;

namespace BlazorJobs.Server.Feed;

/// <summary>
/// Generates realistic platform activity across the feed's source tables — enrolments, finished
/// lessons, reviews, certificates, discussions, live sessions, announcements — spread over the past
/// weeks. Used to give a fresh install a living feed, and by the benchmark for its 1,000 / 10,000 /
/// 100,000-row datasets. Set-based (generate_series), so 100,000 rows take seconds.
/// </summary>
public sealed class FeedActivityGenerator(NpgsqlDataSource dataSource)
{
    /// <summary>The share of generated rows per table.</summary>
    private static readonly (string Table, double Share, string Insert)[] Mix =
    [
        ("enrolments", 0.30, "INSERT INTO enrolments (learner_id, course_id, enrolled_at) SELECT gen_random_uuid(), {course}, {date} FROM ids, generate_series(1, @n)"),
        ("lesson_completions", 0.34, "INSERT INTO lesson_completions (learner_id, lesson_id, completed_at) SELECT gen_random_uuid(), {lesson}, {date} FROM ids, generate_series(1, @n)"),
        ("discussion_posts", 0.12, "INSERT INTO discussion_posts (lesson_id, subject, created_at) SELECT {lesson}, (ARRAY['Stuck on the exercise', 'Is this still the recommended way?', 'A tip that helped me', 'Question about the example', 'Great explanation, one follow-up'])[1 + floor(random() * 5)::int], {date} FROM ids, generate_series(1, @n)"),
        ("course_reviews", 0.10, "INSERT INTO course_reviews (course_id, rating, comment, created_at) SELECT {course}, 3 + floor(random() * 3)::int, (ARRAY['Clear and practical.', 'The tutor answered exactly what I was stuck on.', 'Good pace, good examples.', 'Would love more exercises.', 'Finally understood it.'])[1 + floor(random() * 5)::int], {date} FROM ids, generate_series(1, @n)"),
        ("certificates", 0.08, "INSERT INTO certificates (learner_id, course_id, issued_at) SELECT gen_random_uuid(), {course}, {date} FROM ids, generate_series(1, @n)"),
        ("live_sessions", 0.03, "INSERT INTO live_sessions (course_id, title, starts_at, announced_at) SELECT {course}, (ARRAY['Office hours', 'Ask me anything', 'Code review clinic', 'Exam prep'])[1 + floor(random() * 4)::int], now() + random() * interval '14 days', {date} FROM ids, generate_series(1, @n)"),
        ("announcements", 0.03, "INSERT INTO announcements (title, body, published_at) SELECT (ARRAY['New exercises added', 'Scheduled maintenance', 'The tutor now cites lessons', 'Community guidelines updated'])[1 + floor(random() * 4)::int], 'News from the BlazorJobs team.', {date} FROM ids, generate_series(1, @n)"),
    ];

    /// <summary>Adds about <paramref name="rows"/> rows of activity dated within the past <paramref name="days"/> days.</summary>
    public async Task GenerateAsync(int rows, double days, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (_, share, insert) in Mix)
        {
            var count = (int)Math.Round(rows * share);
            if (count == 0)
            {
                continue;
            }
            var sql = "WITH ids AS (SELECT (SELECT array_agg(id) FROM courses WHERE published) AS courses, (SELECT array_agg(id) FROM lessons) AS lessons) "
                + insert
                    .Replace("{course}", "ids.courses[1 + floor(random() * array_length(ids.courses, 1))::int]", StringComparison.Ordinal)
                    .Replace("{lesson}", "ids.lessons[1 + floor(random() * array_length(ids.lessons, 1))::int]", StringComparison.Ordinal)
                    .Replace("{date}", "now() - random() * make_interval(secs => @seconds)", StringComparison.Ordinal);
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.AddWithValue("n", count);
            command.Parameters.AddWithValue("seconds", days * 86_400);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Generates the first-start activity once: only while the activity tables are empty.</summary>
    public async Task SeedIfEmptyAsync(int rows, CancellationToken cancellationToken)
    {
        await using var check = dataSource.CreateCommand("SELECT NOT EXISTS (SELECT 1 FROM enrolments) AND NOT EXISTS (SELECT 1 FROM lesson_completions)");
        if ((bool)(await check.ExecuteScalarAsync(cancellationToken))!)
        {
            await GenerateAsync(rows, days: 30, cancellationToken);
        }
    }
}
