using BlazorJobs.Tests.Infrastructure;
using Npgsql;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>
/// Push, not poll: a stream that waits costs no database query, however many wait. Measured with
/// pg_stat_statements on this test's database while 20 streams sit on jobs that never progress (the
/// worker is off) and heartbeat every 0.2 s.
/// </summary>
public sealed class NoQueryWhileWaitingTests(ManyWaitingStreamsFixture app) : IClassFixture<ManyWaitingStreamsFixture>
{
    private const int WaitingStreams = 20;

    [Fact]
    public async Task Waiting_streams_cost_no_database_query_however_many_wait()
    {
        using var visitor = app.CreateClient();
        var jobs = new List<Accepted>();
        var streams = new List<HeartbeatWatch>();
        try
        {
            for (var i = 0; i < WaitingStreams; i++)
            {
                jobs.Add(await ChatApi.AskAsync(visitor, ChatApi.Landing, $"What is a stacking context? ({i})"));
                streams.Add(await HeartbeatWatch.OpenAsync(visitor, jobs[^1].StreamUrl));
            }
            await using var database = new NpgsqlConnection(app.ConnectionString);
            await database.OpenAsync();

            await ResetStatementsAsync(database);
            var heartbeatsAtReset = streams.Select(s => s.Heartbeats).ToArray();
            await Eventually.HoldsAsync(
                () => streams.Select((s, i) => s.Heartbeats - heartbeatsAtReset[i]).All(n => n >= 2),
                "every stream wrote two heartbeats since the reset");
            var whileWaiting = await StatementsSinceResetAsync(database);

            // A stream that queried on any wake-up would cost at least 2 x 20 here; what remains is the
            // process's own periodic work (the rollout guard, delivery bookkeeping), the same for 0 streams.
            Assert.True(whileWaiting.Sum(s => s.Calls) < WaitingStreams,
                $"Queries while {WaitingStreams} streams waited: {string.Join("; ", whileWaiting.Select(s => $"{s.Calls} x {s.Query}"))}");
            // The measure does see this app's queries: one poll shows up.
            (await visitor.GetAsync(jobs[0].PollUrl)).EnsureSuccessStatusCode();
            Assert.True((await StatementsSinceResetAsync(database)).Sum(s => s.Calls) > whileWaiting.Sum(s => s.Calls));
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    /// <summary>Resets the statistics of this test's database only (other test classes share the server).</summary>
    private static async Task ResetStatementsAsync(NpgsqlConnection database)
    {
        await using var reset = new NpgsqlCommand(
            "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)", database);
        await reset.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Statements run in this database since the reset, except this connection's own and the listener's
    /// keep-alive <c>SELECT 1</c> (one per 30 s of silence per process, whatever the number of streams).
    /// </summary>
    private static async Task<List<(long Calls, string Query)>> StatementsSinceResetAsync(NpgsqlConnection database)
    {
        await using var read = new NpgsqlCommand(
            """
            SELECT calls, query FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND query NOT ILIKE '%pg_stat_statements%' AND query <> 'SELECT 1'
            """, database);
        var statements = new List<(long, string)>();
        await using var reader = await read.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            statements.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        return statements;
    }

    /// <summary>An open job stream read continuously in the background, counting its heartbeats as they arrive.</summary>
    private sealed class HeartbeatWatch : IAsyncDisposable
    {
        private readonly RawStream _stream;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _reading;
        private int _heartbeats;

        private HeartbeatWatch(RawStream stream)
        {
            _stream = stream;
            _reading = Task.Run(ReadAsync);
        }

        public int Heartbeats => Volatile.Read(ref _heartbeats);

        /// <summary>Opens the stream and returns once its replay (event 1) is read: from then on it only waits.</summary>
        public static async Task<HeartbeatWatch> OpenAsync(HttpClient client, string url)
        {
            var stream = await RawStream.OpenAsync(client, url);
            while (await stream.NextAsync() is { } block && block.Id != "1")
            {
            }
            return new HeartbeatWatch(stream);
        }

        private async Task ReadAsync()
        {
            while (await _stream.NextAsync(Timeout.InfiniteTimeSpan, _stop.Token) is { } block)
            {
                if (block.IsHeartbeat)
                {
                    Interlocked.Increment(ref _heartbeats);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _reading;
            }
            catch (OperationCanceledException)
            {
                // Stopped reading: the test is over.
            }
            await _stream.DisposeAsync();
            _stop.Dispose();
        }
    }
}
