using BlazorJobs.Server.Delivery;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Server.Rollout;

/// <summary>One delivery mode's figures over the guard's window.</summary>
/// <param name="Users">Distinct callers with an answered question in the window.</param>
/// <param name="QuestionsAnswered">Questions answered in the window, whether anybody came for them or not.</param>
/// <param name="Callers">Distinct callers with at least one judged delivery: the guard's sample.</param>
/// <param name="FailedCallers">Of those, the callers with at least one failed delivery.</param>
/// <param name="Deliveries">Judged deliveries (answers a client came for), however many per caller.</param>
/// <param name="Failures">Judged deliveries that failed.</param>
public sealed record VariantStats(
    string Variant,
    int Users,
    int QuestionsAnswered,
    int Callers,
    int FailedCallers,
    int Deliveries,
    int Failures,
    int Fallbacks,
    double? MedianLatencyMs,
    double? P95LatencyMs,
    double? RequestsPerQuestion)
{
    /// <summary>Per caller, not per job: one caller filing hundreds of failures weighs as much as one filing one.</summary>
    public double FailureRate => Callers == 0 ? 0 : 100.0 * FailedCallers / Callers;
}

/// <summary>
/// The delivery figures per mode, from data the server holds (rollout.md, "Guarded rollout"): each job's
/// mode at enqueue, whether a client came for its answer, when the result first reached the client, and
/// what clients reported. Only deliveries a client came for are judged; one fails when the client
/// reported a fallback or a stream it gave up on, or when its result had not reached the client within the
/// deadline after completion. Evidence is counted per caller (job owner): each counts once per mode and
/// window, failed when any of its judged deliveries failed — so a few cookies cannot decide for everyone.
/// Jobs whose mode was forced (kill switch, default mode) are left out.
/// </summary>
public sealed class DeliveryStats(NpgsqlDataSource dataSource, DeliveryTracker tracker, IOptions<RolloutOptions> options)
{
    // Bounded by the window: the jobs come from the completed_at index, a job's reports from the
    // (job_id, kind) index; nothing here reads a table whole (DeliveryStatsQueryPlanTests checks the plan).
    internal const string Sql = """
        WITH answered AS (
            SELECT j.id, j.owner_key, j.delivery_mode, j.completed_at, j.delivered_at,
                   j.requested_at IS NOT NULL OR j.delivered_at IS NOT NULL AS came_for,
                   EXISTS (SELECT 1 FROM delivery_reports r WHERE r.job_id = j.id) AS reported,
                   EXISTS (SELECT 1 FROM delivery_reports r WHERE r.job_id = j.id AND r.kind = 'fallback') AS fell_back
            FROM jobs j
            WHERE j.completed_at > now() - @window AND j.completed_at IS NOT NULL
              AND j.status = 'COMPLETED' AND NOT j.delivery_forced),
        judged AS (
            -- A delivery still within its deadline, neither delivered nor reported, is not decided yet.
            SELECT *, (reported OR coalesce(delivered_at, now()) - completed_at > @deadline) AS failed
            FROM answered
            WHERE came_for AND (delivered_at IS NOT NULL OR reported OR now() - completed_at > @deadline)),
        callers AS (
            SELECT delivery_mode, owner_key, bool_or(failed) AS failed
            FROM judged GROUP BY delivery_mode, owner_key)
        SELECT m.mode,
               (SELECT count(DISTINCT a.owner_key) FROM answered a WHERE a.delivery_mode = m.mode)::int,
               (SELECT count(*) FROM answered a WHERE a.delivery_mode = m.mode)::int,
               (SELECT count(*) FROM callers c WHERE c.delivery_mode = m.mode)::int,
               (SELECT count(*) FROM callers c WHERE c.delivery_mode = m.mode AND c.failed)::int,
               (SELECT count(*) FROM judged d WHERE d.delivery_mode = m.mode)::int,
               (SELECT count(*) FROM judged d WHERE d.delivery_mode = m.mode AND d.failed)::int,
               (SELECT count(*) FROM judged d WHERE d.delivery_mode = m.mode AND d.fell_back)::int,
               (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.delivered_at - d.completed_at) * 1000)
                FROM judged d WHERE d.delivery_mode = m.mode),
               (SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM d.delivered_at - d.completed_at) * 1000)
                FROM judged d WHERE d.delivery_mode = m.mode)
        FROM unnest(ARRAY['sse', 'hybrid', 'polling']) WITH ORDINALITY AS m(mode, position)
        ORDER BY m.position
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
                reader.GetInt32(6), reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetDouble(8),
                reader.IsDBNull(9) ? null : reader.GetDouble(9),
                answered == 0 ? null : Math.Round((double)requests / answered, 2)));
        }
        return stats;
    }
}
