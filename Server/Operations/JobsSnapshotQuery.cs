using System.Text.Json;
using BlazorJobs.App.Services;
using BlazorJobs.Server.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Server.Operations;

/// <summary>
/// Reads one <see cref="JobsSnapshot"/> in one round trip (a batch: one implicit transaction, so safe behind
/// PgBouncer). Selects job metadata and errors only, never <c>question</c> or <c>result</c>: admins run the
/// queue, they do not read learners' conversations.
/// </summary>
public sealed class JobsSnapshotQuery(NpgsqlDataSource dataSource, IOptions<OperationsOptions> options)
{
    private const int MaxInFlightRows = 100;
    private const int MaxFailedRows = 20;

    private static readonly string[] Statuses = ["PENDING", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED"];

    public async Task<JobsSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var window = options.Value.WindowMinutes;
        await using var batch = dataSource.CreateBatch();
        Add(batch, "SELECT now(), status, count(*) FROM jobs GROUP BY status");
        Add(batch, "SELECT extract(epoch FROM now() - min(created_at))::float8 FROM jobs WHERE status = 'PENDING'");
        Add(batch, $"""
            SELECT id, kind, attempt, max_attempts, claimed_by, started_at, lease_expires_at, lease_expires_at < now()
            FROM jobs WHERE status = 'PROCESSING' ORDER BY started_at LIMIT {MaxInFlightRows}
            """);
        Add(batch, $"""
            SELECT id, kind, attempt, error_message, completed_at, claimed_by
            FROM jobs WHERE status = 'FAILED' ORDER BY completed_at DESC NULLS LAST LIMIT {MaxFailedRows}
            """);
        Add(batch, $"""
            SELECT date_trunc('minute', completed_at), count(*) FILTER (WHERE status = 'COMPLETED'), count(*) FILTER (WHERE status = 'FAILED')
            FROM jobs WHERE completed_at > now() - make_interval(mins => {window}) AND status IN ('COMPLETED', 'FAILED')
            GROUP BY 1 ORDER BY 1
            """);
        Add(batch, $"""
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - run_after) * 1000),
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - run_after) * 1000),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - started_at) * 1000)
                       FILTER (WHERE status IN ('COMPLETED', 'FAILED')),
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - started_at) * 1000)
                       FILTER (WHERE status IN ('COMPLETED', 'FAILED'))
            FROM jobs WHERE started_at > now() - make_interval(mins => {window})
            """);
        Add(batch, """
            SELECT id, started_at, last_seen_at, state::text, last_seen_at < now() - make_interval(secs => $1)
            FROM instance_heartbeats ORDER BY started_at, id
            """, options.Value.StaleAfterSeconds);
        Add(batch, """
            SELECT current_setting('server_version'), pg_postmaster_start_time(), pg_database_size(current_database()),
                   (SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database()), current_setting('max_connections')::int
            """);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var depth = Statuses.ToDictionary(s => s, _ => 0L);
        var at = DateTimeOffset.UtcNow;
        while (await reader.ReadAsync(cancellationToken))
        {
            at = reader.GetFieldValue<DateTimeOffset>(0);
            depth[reader.GetString(1)] = reader.GetInt64(2);
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        double? oldestPending = reader.IsDBNull(0) ? null : reader.GetDouble(0);

        await reader.NextResultAsync(cancellationToken);
        var inFlight = new List<InFlightJob>();
        var expired = new List<InFlightJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var job = new InFlightJob(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3),
                NullableString(reader, 4), NullableTime(reader, 5), NullableTime(reader, 6));
            (reader.IsDBNull(7) || !reader.GetBoolean(7) ? inFlight : expired).Add(job);
        }

        await reader.NextResultAsync(cancellationToken);
        var failed = new List<FailedJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            failed.Add(new FailedJob(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), NullableString(reader, 3), NullableTime(reader, 4), NullableString(reader, 5)));
        }

        await reader.NextResultAsync(cancellationToken);
        var perMinute = new List<ThroughputMinute>();
        while (await reader.ReadAsync(cancellationToken))
        {
            perMinute.Add(new ThroughputMinute(reader.GetFieldValue<DateTimeOffset>(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2)));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var throughput = new ThroughputView(window, perMinute, NullableDouble(reader, 0), NullableDouble(reader, 1), NullableDouble(reader, 2), NullableDouble(reader, 3));

        await reader.NextResultAsync(cancellationToken);
        var instances = new List<InstanceView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var state = JsonSerializer.Deserialize<InstanceState>(reader.GetString(3), JsonDefaults.Options)!;
            instances.Add(new InstanceView(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetBoolean(4), state));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var database = new DatabaseView(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt32(4));

        return new JobsSnapshot(at, depth, oldestPending, inFlight, expired, failed, throughput, instances, database);
    }

    /// <summary>Positional parameters (<c>$1</c>): a batch's statements are sent as they are, with no rewriting.</summary>
    private static void Add(NpgsqlBatch batch, string sql, params object[] parameters)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        batch.BatchCommands.Add(command);
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static double? NullableDouble(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
}
