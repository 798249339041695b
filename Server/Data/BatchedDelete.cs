using Npgsql;

namespace BlazorJobs.Server.Data;

/// <summary>
/// Runs a retention <c>DELETE … LIMIT @batch</c> until it deletes less than a batch: small transactions,
/// so no cleanup holds row locks long enough to stall the queue's claims.
/// </summary>
public static class BatchedDelete
{
    /// <param name="sql">A statement deleting at most <c>@batch</c> rows older than <c>@age</c>.</param>
    public static async Task<int> RunAsync(NpgsqlDataSource dataSource, string sql, TimeSpan age, int batch, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.AddWithValue("age", age);
            command.Parameters.AddWithValue("batch", batch);
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < batch)
            {
                return total;
            }
        }
    }
}
