using BlazorJobs.Server.Delivery;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Server.Rollout;

/// <summary>One delivery mode's figures over the guard's window.</summary>
public sealed record VariantStats(
    string Variant,
    int Users,
    int QuestionsAnswered,
    int Deliveries,
    int Failures,
    int Fallbacks,
    double? MedianLatencyMs,
    double? P95LatencyMs,
    double? RequestsPerQuestion)
{
    public double FailureRate => Deliveries == 0 ? 0 : 100.0 * Failures / Deliveries;
}

/// <summary>
/// The delivery figures per mode, from data the server holds: each job's mode at enqueue, when its
/// result first reached the client, and what clients reported. A delivery failed when the client
/// reported a fallback or a stream it gave up on, or when its result had not reached the client
/// within the deadline after completion. Jobs whose mode was forced (kill switch, default mode) are left out.
/// </summary>
public sealed class DeliveryStats(NpgsqlDataSource dataSource, DeliveryTracker tracker, IOptions<RolloutOptions> options)
{
    private const string Sql = """
        WITH w AS (
            SELECT j.id, j.owner_key, j.delivery_mode, j.completed_at, j.delivered_at,
                   EXISTS (SELECT 1 FROM delivery_reports r WHERE r.job_id = j.id) AS reported,
                   EXISTS (SELECT 1 FROM delivery_reports r WHERE r.job_id = j.id AND r.kind = 'fallback') AS fell_back
            FROM jobs j
            WHERE j.status = 'COMPLETED' AND NOT j.delivery_forced AND j.completed_at > now() - @window),
        judged AS (
            SELECT *, (reported OR coalesce(delivered_at - completed_at, now() - completed_at) > @deadline) AS failed
            FROM w
            WHERE delivered_at IS NOT NULL OR reported OR now() - completed_at > @deadline)
        SELECT m.mode,
               (SELECT count(DISTINCT owner_key) FROM w WHERE w.delivery_mode = m.mode)::int,
               (SELECT count(*) FROM w WHERE w.delivery_mode = m.mode)::int,
               count(judged.id)::int,
               count(judged.id) FILTER (WHERE judged.failed)::int,
               count(judged.id) FILTER (WHERE judged.fell_back)::int,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM judged.delivered_at - judged.completed_at) * 1000),
               percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM judged.delivered_at - judged.completed_at) * 1000)
        FROM unnest(ARRAY['sse', 'hybrid', 'polling']) AS m(mode)
        LEFT JOIN judged ON judged.delivery_mode = m.mode
        GROUP BY m.mode
        ORDER BY array_position(ARRAY['sse', 'hybrid', 'polling'], m.mode)
        """;

    public async Task<IReadOnlyList<VariantStats>> ComputeAsync(CancellationToken cancellationToken)
    {
        var guard = options.Value.Guard;
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.AddWithValue("window", TimeSpan.FromMinutes(guard.WindowMinutes));
        command.Parameters.AddWithValue("deadline", TimeSpan.FromSeconds(guard.DeliveryDeadlineSeconds));
        var stats = new List<VariantStats>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var mode = reader.GetString(0);
            var answered = reader.GetInt32(2);
            var requests = tracker.RequestCounts.GetValueOrDefault(mode);
            stats.Add(new VariantStats(
                mode, reader.GetInt32(1), answered, reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetDouble(6),
                reader.IsDBNull(7) ? null : reader.GetDouble(7),
                answered == 0 ? null : Math.Round((double)requests / answered, 2)));
        }
        return stats;
    }
}
