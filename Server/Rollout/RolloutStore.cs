using System.Text.Json;
using BlazorJobs.Server.Data;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Server.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Server.Rollout;

/// <summary>An entry of the flag's audit trail.</summary>
public sealed record RolloutAuditEntry(long Id, string ChangedBy, JsonElement? From, JsonElement To, string? Reason, DateTimeOffset At);

/// <summary>The state after a change, and whether anything was written.</summary>
public sealed record RolloutChangeResult(RolloutState State, bool Changed);

/// <summary>
/// The delivery flag in PostgreSQL: read (seeding it from <c>appsettings.json</c> the first time), changed
/// with an audit row and a <c>NOTIFY flags_changed</c> in the same transaction, so every instance
/// reloads it within a second.
/// </summary>
public sealed class RolloutStore(NpgsqlDataSource dataSource, IOptions<RolloutOptions> options, TimeProvider time)
{
    public async Task<RolloutState> LoadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT definition::text FROM feature_flags WHERE name = @name");
        command.Parameters.AddWithValue("name", RolloutState.FlagName);
        if (await command.ExecuteScalarAsync(cancellationToken) is string json)
        {
            return JsonSerializer.Deserialize<RolloutState>(json, JsonDefaults.Options)!;
        }

        var seed = new RolloutState(options.Value.JobDelivery.Allocation, KillSwitch: false, Guard: null, time.GetUtcNow(), "appsettings.json");
        await using var insert = dataSource.CreateCommand(
            """
            INSERT INTO feature_flags (name, definition, updated_at, updated_by) VALUES (@name, @definition::jsonb, now(), @by)
            ON CONFLICT (name) DO NOTHING
            """);
        insert.Parameters.AddWithValue("name", RolloutState.FlagName);
        insert.Parameters.AddWithValue("definition", JsonSerializer.Serialize(seed, JsonDefaults.Options));
        insert.Parameters.AddWithValue("by", seed.UpdatedBy);
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return await LoadAsync(cancellationToken); // whoever inserted first wins
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the stored state under a row lock, audits it and notifies every
    /// instance. A change that leaves the state as it is writes nothing (no audit row saying "80/10/10 → 80/10/10",
    /// no notification) and answers the stored state, still who changed it last.
    /// </summary>
    public async Task<RolloutChangeResult> ChangeAsync(Func<RolloutState, RolloutState> change, string changedBy, string? reason, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken); // make sure the row exists
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        string fromJson;
        await using (var read = new NpgsqlCommand("SELECT definition::text FROM feature_flags WHERE name = @name FOR UPDATE", connection, transaction))
        {
            read.Parameters.AddWithValue("name", RolloutState.FlagName);
            fromJson = (string)(await read.ExecuteScalarAsync(cancellationToken))!;
        }
        var from = JsonSerializer.Deserialize<RolloutState>(fromJson, JsonDefaults.Options)!;
        var changed = change(from);
        if (changed with { UpdatedAt = from.UpdatedAt, UpdatedBy = from.UpdatedBy } == from)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new RolloutChangeResult(from, Changed: false);
        }
        var to = changed with { UpdatedAt = time.GetUtcNow(), UpdatedBy = changedBy };
        var toJson = JsonSerializer.Serialize(to, JsonDefaults.Options);

        await using (var write = new NpgsqlCommand(
            $"""
            UPDATE feature_flags SET definition = @to::jsonb, updated_at = now(), updated_by = @by WHERE name = @name;
            INSERT INTO feature_flag_audit (name, changed_by, from_definition, to_definition, reason, created_at)
            VALUES (@name, @by, @from::jsonb, @to::jsonb, @reason, now());
            SELECT pg_notify('{Channels.FlagsChanged}', @name);
            """, connection, transaction))
        {
            write.Parameters.AddWithValue("name", RolloutState.FlagName);
            write.Parameters.AddWithValue("to", toJson);
            write.Parameters.AddWithValue("from", fromJson);
            write.Parameters.AddWithValue("by", changedBy);
            write.Parameters.AddWithValue("reason", (object?)reason ?? DBNull.Value);
            await write.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new RolloutChangeResult(to, Changed: true);
    }

    public async Task<IReadOnlyList<RolloutAuditEntry>> AuditAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, changed_by, from_definition::text, to_definition::text, reason, created_at
            FROM feature_flag_audit WHERE name = @name ORDER BY id DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("name", RolloutState.FlagName);
        command.Parameters.AddWithValue("limit", limit);
        var entries = new List<RolloutAuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new RolloutAuditEntry(
                reader.GetInt64(0), reader.GetString(1),
                reader.IsDBNull(2) ? null : JsonDocument.Parse(reader.GetString(2)).RootElement.Clone(),
                JsonDocument.Parse(reader.GetString(3)).RootElement.Clone(),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return entries;
    }
}
