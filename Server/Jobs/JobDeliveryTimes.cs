using Npgsql;

namespace BlazorJobs.Server.Jobs;

/// <summary>
/// Stamps when a client first came for a job (<c>requested_at</c>) and when its finished result first reached
/// one (<c>delivered_at</c>), for the rollout's figures. Only the first of each is kept: later polls of the
/// same job change nothing.
/// </summary>
public sealed class JobDeliveryTimes(NpgsqlDataSource dataSource)
{
    /// <summary>Both sets in one round trip.</summary>
    public async Task RecordAsync(
        IReadOnlyCollection<KeyValuePair<Guid, DateTimeOffset>> cameFor,
        IReadOnlyCollection<KeyValuePair<Guid, DateTimeOffset>> delivered,
        CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Update(
            """
            UPDATE jobs SET requested_at = d.at
            FROM unnest($1, $2) AS d(id, at)
            WHERE jobs.id = d.id AND jobs.requested_at IS NULL
            """, cameFor));
        batch.BatchCommands.Add(Update(
            """
            UPDATE jobs SET delivered_at = d.at
            FROM unnest($1, $2) AS d(id, at)
            WHERE jobs.id = d.id AND jobs.delivered_at IS NULL AND jobs.completed_at IS NOT NULL
            """, delivered));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Update(string sql, IReadOnlyCollection<KeyValuePair<Guid, DateTimeOffset>> rows) => new(sql)
    {
        Parameters =
        {
            new NpgsqlParameter<Guid[]> { TypedValue = rows.Select(r => r.Key).ToArray() },
            new NpgsqlParameter<DateTimeOffset[]> { TypedValue = rows.Select(r => r.Value).ToArray() },
        },
    };
}
