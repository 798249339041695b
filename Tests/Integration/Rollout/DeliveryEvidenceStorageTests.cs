using BlazorJobs.Server.Rollout;
using BlazorJobs.Tests.Infrastructure;
using Npgsql;

namespace BlazorJobs.Tests.Integration.Rollout;

/// <summary>A server whose report cleaner deletes two rows per statement, so a pass takes several batches.</summary>
public sealed class ReportRetentionApp : AppFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Rollout:Reports:RetentionDays", "7"),
        new("Rollout:Reports:CleanupBatchSize", "2"),
        new("Rollout:Reports:CleanupIntervalSeconds", "86400"),
    ];
}

/// <summary>
/// Issue 10, case 5: <c>delivery_reports</c> is bounded. Reports are deleted after
/// <c>Rollout:Reports:RetentionDays</c>, and the guard's periodic query reads only its window, through indexes.
/// </summary>
public sealed class DeliveryEvidenceStorageTests(ReportRetentionApp app) : IClassFixture<ReportRetentionApp>
{
    [Fact]
    public async Task Reports_older_than_the_retention_are_deleted_in_batches_and_newer_ones_kept()
    {
        var old = await InsertReportsAsync(5, TimeSpan.FromDays(8));
        var recent = await InsertReportsAsync(3, TimeSpan.FromDays(6));

        var deleted = await app.Service<DeliveryReportCleaner>().CleanOnceAsync(CancellationToken.None);

        Assert.Equal(5, deleted);
        Assert.Equal(0L, await app.ScalarAsync("SELECT count(*) FROM delivery_reports WHERE job_id = ANY(@ids)", ("ids", old)));
        Assert.Equal(3L, await app.ScalarAsync("SELECT count(*) FROM delivery_reports WHERE job_id = ANY(@ids)", ("ids", recent)));
    }

    [Fact]
    public async Task The_guards_query_reads_jobs_and_reports_through_indexes_never_whole_tables()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        // With sequential scans priced out, the planner still picks one where no index can serve the
        // query: a "Seq Scan" left in the plan would be a table read whole every few seconds.
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }
        await using var explain = new NpgsqlCommand("EXPLAIN " + DeliveryStats.Sql, connection);
        explain.Parameters.AddWithValue("window", TimeSpan.FromMinutes(5));
        explain.Parameters.AddWithValue("deadline", TimeSpan.FromSeconds(30));
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }
        var text = string.Join('\n', plan);

        Assert.DoesNotContain("Seq Scan on jobs", text);
        Assert.DoesNotContain("Seq Scan on delivery_reports", text);
        Assert.Contains("ix_jobs_completed_at", text);
        Assert.Contains("ix_delivery_reports_job_id_kind", text);
    }

    /// <summary>Reports about jobs of their own, filed <paramref name="age"/> ago.</summary>
    private async Task<Guid[]> InsertReportsAsync(int count, TimeSpan age)
    {
        var jobs = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        await app.ScalarAsync(
            """
            INSERT INTO delivery_reports (job_id, mode, kind, created_at)
            SELECT id, 'sse', 'stream_error', now() - @age FROM unnest(@ids) AS id
            """, ("ids", jobs), ("age", age));
        return jobs;
    }
}
