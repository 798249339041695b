using Npgsql;

namespace BlazorJobs.Bench.Database;

/// <summary>
/// The live feed's data as the benchmark handles it from its own connection: how many rows the feed's
/// sources hold, emptying the tables the server's <c>FeedActivityGenerator</c> fills (so the next
/// server start generates a dataset of the size asked for with <c>Feed:SeedActivityRows</c>), and new
/// activity landing. Rows are never generated here: the server's own generator makes them, so the
/// benchmark measures the data the app ships with, not a copy of its SQL.
/// </summary>
public sealed class FeedDataset(NpgsqlDataSource dataSource)
{
    /// <summary>The tables <c>FeedActivityGenerator</c> fills; the catalogue's own rows (courses, lessons, milestones) stay.</summary>
    private static readonly string[] GeneratedTables =
        ["enrolments", "lesson_completions", "discussion_posts", "course_reviews", "certificates", "live_sessions", "announcements"];

    /// <summary>Every row the feed's 11 sources read from (the page is the newest of these).</summary>
    public async Task<long> SourceRowsAsync() => await ScalarAsync<long>(
        "SELECT (SELECT count(*) FROM courses WHERE published) + (SELECT count(*) FROM lessons) + (SELECT count(*) FROM feed_activities)"
        + " + (SELECT count(*) FROM jobs WHERE kind = 'tutor' AND status = 'COMPLETED' AND course_id IS NOT NULL) + "
        + string.Join(" + ", GeneratedTables.Select(t => $"(SELECT count(*) FROM {t})")));

    /// <summary>The rows the generator made (what <c>Feed:SeedActivityRows</c> asked for, plus any activity the benchmark added).</summary>
    public async Task<long> GeneratedRowsAsync() => await ScalarAsync<long>(
        "SELECT " + string.Join(" + ", GeneratedTables.Select(t => $"(SELECT count(*) FROM {t})")));

    /// <summary>TRUNCATE fires no insert trigger, so no server hears of it: it only prepares the next start's seed.</summary>
    public Task ClearGeneratedAsync() => ExecuteAsync($"TRUNCATE {string.Join(", ", GeneratedTables)}");

    /// <summary>
    /// Statistics for the freshly generated rows, as autovacuum would have them a minute later on a live
    /// site: the measurement is of a settled database, not of one caught mid-load.
    /// </summary>
    public Task AnalyzeAsync() => ExecuteAsync($"ANALYZE {string.Join(", ", GeneratedTables)}");

    /// <summary>
    /// New activity: one announcement, inserted as the app's own tables are written, so its statement
    /// trigger sends <c>feed_changed</c> and every server drops its cached pages (at most once a second).
    /// </summary>
    public Task AddActivityAsync() => ExecuteAsync(
        "INSERT INTO announcements (title, body, published_at) VALUES ('Benchmark activity', 'New activity landing during the feed benchmark.', now())");

    /// <summary>
    /// Target 5's activity: an announcement titled with its number, dated <c>clock_timestamp()</c> as it is
    /// inserted. That date is the item's <c>sortDate</c> on every live stream, so a stream's receive time minus
    /// it is the whole way from the insert (its COMMIT's WAL flush included) to the client.
    /// </summary>
    public async Task AddNumberedActivityAsync(int number, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO announcements (title, body, published_at) VALUES (@title, 'Activity landing during the fan-out benchmark.', clock_timestamp())");
        command.Parameters.AddWithValue("title", $"{Client.LiveFeedStream.TitlePrefix}{number}");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
