using System.Diagnostics;
using Npgsql;

namespace BlazorJobs.Bench.Database;

/// <summary>One run of the bare commit loop: how many commits it made, and what its sessions were waiting on.</summary>
/// <param name="Waits">What the loops' sessions were doing (<see cref="WaitEventSampler"/>).</param>
/// <param name="Commits">Commits made in <paramref name="Elapsed"/> (the rate's numerator).</param>
/// <param name="AllCommits">Every commit, those the loops finished after the deadline included: what the listener should have heard.</param>
/// <param name="Notifications">Notifications the listener received (all of them, when PostgreSQL kept up).</param>
/// <param name="PostgresCpu">PostgreSQL's CPU over the run, read before the loops' connections close (a closed backend's
/// time reaches the postmaster's count only once it is reaped, which would put it into the next run's figure).</param>
/// <param name="AsyncCommit">The loops' sessions ran with <c>synchronous_commit = off</c>: the commit does not wait for its flush.</param>
public sealed record CeilingRun(int Connections, bool Notify, bool AsyncCommit, long Commits, long AllCommits, TimeSpan Elapsed, long Notifications,
    WaitProfile Waits, long Errors, TimeSpan PostgresCpu)
{
    public double CommitsPerSecond => Commits / Elapsed.TotalSeconds;
}

/// <summary>
/// The ceiling under target 5b, with nothing of the app around it: <c>N</c> connections each committing, as
/// fast as they can, what the worker's delta commits — its job row's sequence bumped, an event row inserted,
/// and (or not) a <c>pg_notify</c> with a payload the size of a real delta notification — one autocommitted
/// statement per transaction on a prepared command, as <c>JobEventSql</c> does. PostgreSQL takes a global lock
/// at the commit of any transaction that notified and holds it through the WAL flush, so notifying commits
/// queue one behind another where plain commits share their flushes (group commit): the gap between the two
/// columns is what NOTIFY costs. One LISTEN connection drains the queue, as every app instance's EventHub does.
/// </summary>
public static class NotifyCeiling
{
    private const string Channel = "bench_ceiling";
    private const string ApplicationName = "blazorjobs-bench-ceiling";

    /// <summary>
    /// The shape and size of a delta's <c>job_events</c> notification (JobEventSql): ids, sequence, owner, status and
    /// the event's data, here 80 characters of answer text (about 100 ms of a fast model's output).
    /// </summary>
    public static readonly string Payload =
        $"{{\"g\":1234567,\"j\":\"{Guid.NewGuid()}\",\"s\":42,\"ss\":\"{Guid.NewGuid()}\",\"o\":\"v:{Guid.NewGuid():N}\",\"a\":1," +
        $"\"st\":\"PROCESSING\",\"t\":\"delta\",\"d\":{{\"text\":\"{new string('x', 80)}\"}}}}";

    public static async Task PrepareAsync(string connectionString, int rows)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // Real tables: a transaction that touched only a temporary one would commit without flushing WAL.
        await using var command = new NpgsqlCommand(
            $"""
            CREATE TABLE IF NOT EXISTS bench_ceiling_jobs (id int PRIMARY KEY, seq bigint NOT NULL);
            CREATE TABLE IF NOT EXISTS bench_ceiling_events (id bigserial PRIMARY KEY, job_id int NOT NULL, seq bigint NOT NULL, data text NOT NULL, created_at timestamptz NOT NULL);
            TRUNCATE bench_ceiling_events;
            INSERT INTO bench_ceiling_jobs SELECT g, 0 FROM generate_series(1, {rows}) g ON CONFLICT (id) DO NOTHING;
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <param name="postgresCpu">PostgreSQL's CPU so far (the cluster's processes).</param>
    /// <param name="asyncCommit">
    /// Run the sessions with <c>synchronous_commit = off</c>: a notifying commit then holds the notify lock without a
    /// WAL flush inside it (architecture.md's third lever before a broker, for deltas only).
    /// </param>
    public static async Task<CeilingRun> RunAsync(string connectionString, int connections, bool notify, bool asyncCommit, TimeSpan duration, Func<TimeSpan> postgresCpu)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = ApplicationName, Pooling = false };
        await using var listener = new NpgsqlConnection(connectionString);
        await listener.OpenAsync();
        long notifications = 0;
        listener.Notification += (_, _) => Interlocked.Increment(ref notifications);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        var loops = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < connections; i++)
            {
                var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync();
                loops.Add(connection);
                if (asyncCommit)
                {
                    await using var set = new NpgsqlCommand("SET synchronous_commit = off", connection);
                    await set.ExecuteNonQueryAsync();
                }
            }
            using var stop = new CancellationTokenSource();
            long commits = 0, errors = 0;
            var cpuBefore = postgresCpu();
            var started = Stopwatch.GetTimestamp();
            var running = loops.Select((c, i) => Task.Run(() => CommitLoopAsync(c, i + 1, notify, () => Interlocked.Increment(ref commits), () => Interlocked.Increment(ref errors), stop.Token))).ToList();
            using var stopDraining = new CancellationTokenSource();
            var draining = DrainAsync(listener, stopDraining.Token);
            var waits = WaitEventSampler.SampleAsync(connectionString, $"application_name = '{ApplicationName}'", stop.Token);
            await Task.Delay(duration);
            var committed = Interlocked.Read(ref commits);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var cpu = postgresCpu() - cpuBefore;
            await stop.CancelAsync();
            await Task.WhenAll(running);
            var waitEvents = await waits;
            // The queue's last notifications are still on their way: the listener drains until it has heard every
            // commit, or for at most 3 s (what is still missing then was lost, or the listener fell behind).
            var drainUntil = Stopwatch.GetTimestamp() + 3 * Stopwatch.Frequency;
            while (notify && Interlocked.Read(ref notifications) < Interlocked.Read(ref commits) && Stopwatch.GetTimestamp() < drainUntil)
            {
                await Task.Delay(50);
            }
            await stopDraining.CancelAsync();
            await draining;
            return new CeilingRun(connections, notify, asyncCommit, committed, Interlocked.Read(ref commits), elapsed, Interlocked.Read(ref notifications), waitEvents, Interlocked.Read(ref errors), cpu);
        }
        finally
        {
            foreach (var connection in loops)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task CommitLoopAsync(NpgsqlConnection connection, int row, bool notify, Action committed, Action failed, CancellationToken stop)
    {
        await using var command = new NpgsqlCommand(
            $"""
            WITH j AS (UPDATE bench_ceiling_jobs SET seq = seq + 1 WHERE id = @id RETURNING id, seq),
            ev AS (INSERT INTO bench_ceiling_events (job_id, seq, data, created_at) SELECT id, seq, @data, now() FROM j RETURNING id)
            SELECT {(notify ? $"pg_notify('{Channel}', @payload)" : "ev.id")} FROM ev
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<int>("id", row));
        command.Parameters.Add(new NpgsqlParameter<string>("data", "{\"text\":\"" + new string('x', 80) + "\"}"));
        if (notify)
        {
            command.Parameters.Add(new NpgsqlParameter<string>("payload", Payload));
        }
        await command.PrepareAsync(stop);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await command.ExecuteNonQueryAsync(stop);
                committed();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException)
            {
                failed();
            }
        }
    }

    private static async Task DrainAsync(NpgsqlConnection listener, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await listener.WaitAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
