using System.Text.Json;
using Npgsql;

namespace BlazorJobs.Bench.Database;

/// <summary>
/// Target 6's baselines, in the benchmark's process: a bare Npgsql <c>FOR UPDATE SKIP LOCKED</c> worker on the
/// app's schema that makes the app's writes with nothing around them (no tutor, no delta, no lease renewal,
/// no DI scope, no claim loop apart from the runners): claim → <c>PROCESSING</c> (event + NOTIFY), then
/// complete → <c>COMPLETED</c> with a result (event with <c>completedAt</c>, the assistant's message, NOTIFY),
/// each one autocommitted statement on a prepared command. It runs either as <paramref name="loops"/>
/// connections draining what is queued as fast as they can, or as one connection that polls every second.
/// </summary>
public sealed class BareQueueWorker : IAsyncDisposable
{
    private const string Instance = "blazorjobs-bench-bare";
    private const double LeaseSeconds = 30;

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlCommand _claim;
    private readonly NpgsqlCommand _complete;

    private BareQueueWorker(NpgsqlConnection connection)
    {
        _connection = connection;
        _claim = new NpgsqlCommand(QueueSql.Claim, connection);
        _claim.Parameters.Add(new NpgsqlParameter<Guid>("token", Guid.Empty));
        _claim.Parameters.Add(new NpgsqlParameter<double>("lease", LeaseSeconds));
        _claim.Parameters.Add(new NpgsqlParameter<string>("instance", Instance));
        _complete = new NpgsqlCommand(QueueSql.Complete, connection);
        _complete.Parameters.Add(new NpgsqlParameter<Guid>("id", Guid.Empty));
        _complete.Parameters.Add(new NpgsqlParameter<Guid>("token", Guid.Empty));
        _complete.Parameters.Add(new NpgsqlParameter<string>("result", ""));
        _complete.Parameters.Add(new NpgsqlParameter<string>("answer", ""));
        _complete.Parameters.Add(new NpgsqlParameter<string>("sources", ""));
    }

    public static async Task<BareQueueWorker> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var worker = new BareQueueWorker(connection);
        // Prepared, as the app's statements are (its connection string sets Max Auto Prepare).
        await worker._claim.PrepareAsync();
        await worker._complete.PrepareAsync();
        return worker;
    }

    /// <summary>
    /// Runs <paramref name="loops"/> workers until a claim finds nothing (the held batch is drained) or
    /// <paramref name="cancellationToken"/> ends the phase. Returns the jobs completed.
    /// </summary>
    public static async Task<int> DrainAsync(string connectionString, int loops, CancellationToken cancellationToken)
    {
        var workers = new List<BareQueueWorker>();
        try
        {
            for (var i = 0; i < loops; i++)
            {
                workers.Add(await OpenAsync(connectionString));
            }
            var done = await Task.WhenAll(workers.Select(w => w.RunUntilEmptyAsync(cancellationToken)));
            return done.Sum();
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    /// <summary>The 1 s poller: every <paramref name="interval"/>, claims and completes until nothing is left, until cancelled.</summary>
    public static async Task<int> PollAsync(string connectionString, TimeSpan interval, CancellationToken cancellationToken)
    {
        await using var worker = await OpenAsync(connectionString);
        using var timer = new PeriodicTimer(interval);
        var done = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                done += await worker.RunUntilEmptyAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        return done;
    }

    private async Task<int> RunUntilEmptyAsync(CancellationToken cancellationToken)
    {
        var done = 0;
        while (!cancellationToken.IsCancellationRequested && await TryRunOneAsync(cancellationToken))
        {
            done++;
        }
        return done;
    }

    private async Task<bool> TryRunOneAsync(CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid();
        _claim.Parameters[0].Value = token;
        Guid id, session;
        await using (var reader = await _claim.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return false;
            }
            id = reader.GetGuid(reader.GetOrdinal("job_id"));
            session = reader.GetGuid(reader.GetOrdinal("session_id"));
        }

        // A zero-time tutor's answer, shaped as the app's JobResult (the synthetic tutor's one delta, its suggestion and source).
        const string answer = "part1 ";
        var sources = new[] { new { title = "Synthetic source", url = "/courses" } };
        _complete.Parameters[0].Value = id;
        _complete.Parameters[1].Value = token;
        _complete.Parameters[2].Value = JsonSerializer.Serialize(new
        {
            answer,
            sessionId = session,
            nextSuggestions = new[] { "Synthetic follow-up question?" },
            sources,
        });
        _complete.Parameters[3].Value = answer;
        _complete.Parameters[4].Value = JsonSerializer.Serialize(sources);
        await using (var reader = await _complete.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException($"The bare worker lost its lease on job {id}.");
            }
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _claim.DisposeAsync();
        await _complete.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
