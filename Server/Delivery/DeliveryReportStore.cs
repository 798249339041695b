using Npgsql;

namespace BlazorJobs.Server.Delivery;

/// <summary>
/// Stores what clients report about their deliveries (rollout.md, "Guarded rollout"): a job the caller does
/// not own is ignored, and a job keeps one report per kind however often it is filed.
/// </summary>
public sealed class DeliveryReportStore(NpgsqlDataSource dataSource)
{
    public const int MaxDetailLength = 500;

    /// <returns>Whether the report was new (not a repeat, not about someone else's job).</returns>
    public async Task<bool> AddAsync(Guid jobId, string ownerKey, string mode, string kind, string? detail, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO delivery_reports (job_id, mode, kind, detail, created_at)
            SELECT @job, @mode, @kind, @detail, now() FROM jobs WHERE id = @job AND owner_key = @owner
            ON CONFLICT (job_id, kind) DO NOTHING
            """);
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("mode", mode);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("detail", (object?)Truncate(detail) ?? DBNull.Value);
        command.Parameters.AddWithValue("owner", ownerKey);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static string? Truncate(string? text) => text is null || text.Length <= MaxDetailLength ? text : text[..MaxDetailLength];
}
