using Npgsql;

namespace BlazorJobs.Bench.Database;

/// <summary>What some sessions were doing over a run: samples by wait event, and how many polls were taken.</summary>
public sealed record WaitProfile(IReadOnlyDictionary<string, int> Samples, int Polls)
{
    /// <summary>Sessions active on average (waiting or on the CPU): how many statements were in flight at once.</summary>
    public double MeanActive => Polls == 0 ? double.NaN : (double)Samples.Values.Sum() / Polls;

    /// <summary>"Lock:object 61%, IO:WALSync 30%": the most sampled states.</summary>
    public string Top(int count)
    {
        var total = Samples.Values.Sum();
        return total == 0
            ? "–"
            : string.Join(", ", Samples.OrderByDescending(p => p.Value).Take(count).Select(p => $"{p.Key} {100.0 * p.Value / total:0}%"));
    }

    public double Share(string wait)
    {
        var total = Samples.Values.Sum();
        return total == 0 ? double.NaN : 100.0 * Samples.GetValueOrDefault(wait) / total;
    }
}

/// <summary>
/// A cheap profile of where PostgreSQL time goes: <c>pg_stat_activity</c> every 20 ms, counting the active
/// sessions a filter selects by <c>wait_event_type:wait_event</c> ("CPU" when active and not waiting) — on the
/// notify lock (<c>Lock:object</c>), flushing WAL (<c>IO:WALSync</c>), waiting for another's flush
/// (<c>LWLock:WALWrite</c>), or running.
/// </summary>
public static class WaitEventSampler
{
    /// <summary>The app's own sessions: client backends that are neither the benchmark's nor its probe's.</summary>
    public const string AppSessions = "backend_type = 'client backend' AND application_name NOT LIKE 'blazorjobs-bench%' AND pid <> pg_backend_pid()";

    public static async Task<WaitProfile> SampleAsync(string connectionString, string filter, CancellationToken stop)
    {
        var counts = new Dictionary<string, int>();
        var polls = 0;
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "blazorjobs-bench-waits", Pooling = false }.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(
            $"SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU'), count(*)::int FROM pg_stat_activity WHERE state = 'active' AND {filter} GROUP BY 1",
            connection);
        while (!stop.IsCancellationRequested)
        {
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
            {
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    var key = reader.GetString(0);
                    counts[key] = counts.GetValueOrDefault(key) + reader.GetInt32(1);
                }
            }
            polls++;
            try
            {
                await Task.Delay(20, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return new WaitProfile(counts, polls);
    }
}
