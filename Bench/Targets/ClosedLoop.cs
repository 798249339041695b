using BlazorJobs.Bench.Client;
using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Measure;

namespace BlazorJobs.Bench.Targets;

/// <summary>What a closed loop measured in its window.</summary>
/// <param name="ServerCores">CPU used by the server process and by PostgreSQL during the window, in cores (1 = one core busy).</param>
public sealed record ClosedLoopResult(
    int Size, Delivery Delivery, LatencySummary Latency, double CompletionsPerSecond, double MeanWaiting, double RequestsPerSecond,
    (double Server, double Postgres) ServerCores, long Errors);

/// <summary>What else to measure over exactly the same window.</summary>
public sealed record WindowHooks(Func<Task> Opened, Func<Task> Closed);

/// <summary>
/// Keeps <c>size</c> clients waiting at all times: each enqueues a question, waits for its answer
/// (stream or polls), records the delivery latency, and asks again. The worker answers at
/// <c>slots / duration</c> completions per second, so with more clients than worker slots the queue
/// holds the rest and every client is always waiting on something, as on a busy site.
/// </summary>
/// <remarks>
/// The first <c>slots</c> questions are spread over one second so the worker's completions stay
/// evenly spaced (each slot picks up the next queued job the moment it finishes one), rather than
/// arriving in a burst every job duration. The phase ends by cancelling every outstanding job, so the
/// next phase does not wait for a deep queue to drain.
/// </remarks>
public sealed class ClosedLoop(LandingClient client, Visitor[] visitors, int size, Delivery delivery, int workerSlots, Func<CpuSample> cpu)
{
    /// <summary>Clients joining at once while the loop fills: the server's pace sets the fill rate, not a timer.</summary>
    private const int FillConcurrency = 16;
    private readonly Samples _samples = new();
    private readonly ProblemLog _problems = new($"{delivery.Name} at {size}");
    private readonly Guid?[] _current = new Guid?[size];
    private readonly TaskCompletionSource _filled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _fillGate = new(FillConcurrency);
    private volatile bool _stopping;
    private int _started;
    private int _waiting;
    private long _completedInWindow;

    public async Task<ClosedLoopResult> RunAsync(TimeSpan warmup, TimeSpan window, WindowHooks? hooks = null)
    {
        using var abort = new CancellationTokenSource();
        var completionInterval = TimeSpan.FromSeconds(1.0 / workerSlots);
        var clients = Enumerable.Range(0, size).Select(i => Task.Run(() => ClientAsync(i, StartOffset(i, completionInterval), abort.Token))).ToArray();

        try
        {
            await WaitOrFailAsync(_filled.Task, clients, TimeSpan.FromSeconds(60 + size / 50.0));
        }
        catch (TimeoutException)
        {
            // Leave nothing running behind the failure: the next phase (or target) must not share the machine with it.
            _stopping = true;
            await abort.CancelAsync();
            await Quietly(clients);
            _problems.Summarize();
            throw;
        }
        await Task.Delay(warmup);

        var requestsBefore = client.Requests;
        var cpuBefore = cpu();
        var waiting = new List<int>();
        if (hooks is not null)
        {
            await hooks.Opened();
        }
        _samples.Recording = true;
        var windowEnd = DateTimeOffset.UtcNow + window;
        while (DateTimeOffset.UtcNow < windowEnd)
        {
            await Task.Delay(250);
            waiting.Add(Volatile.Read(ref _waiting));
        }
        _samples.Recording = false;
        var requests = client.Requests - requestsBefore;
        var used = cpu() - cpuBefore;
        if (hooks is not null)
        {
            await hooks.Closed();
        }

        await StopAsync(clients, abort);
        _problems.Summarize();
        return new ClosedLoopResult(size, delivery, _samples.Summary(), Interlocked.Read(ref _completedInWindow) / window.TotalSeconds,
            waiting.Average(), requests / window.TotalSeconds,
            (used.Server.TotalSeconds / window.TotalSeconds, used.Postgres.TotalSeconds / window.TotalSeconds), _samples.Errors);
    }

    private TimeSpan StartOffset(int index, TimeSpan completionInterval) => completionInterval * Math.Min(index, workerSlots);

    private async Task ClientAsync(int index, TimeSpan startOffset, CancellationToken abort)
    {
        await Task.Delay(startOffset, abort);
        var visitor = visitors[index % visitors.Length];
        var first = true;
        var gated = index >= workerSlots;
        if (gated)
        {
            await _fillGate.WaitAsync(abort);
        }
        void Joined()
        {
            if (gated)
            {
                gated = false;
                _fillGate.Release();
            }
        }
        while (!_stopping)
        {
            var waitingNow = false;
            try
            {
                var job = await client.EnqueueAsync(visitor, $"Closed-loop question {index}", abort);
                SetCurrent(index, job.JobId);
                if (_stopping)
                {
                    await client.CancelAsync(visitor, job.JobId, abort);
                }
                var outcome = await delivery.AwaitAsync(client, visitor, job, () =>
                {
                    waitingNow = true;
                    Interlocked.Increment(ref _waiting);
                    if (first && Interlocked.Increment(ref _started) == size)
                    {
                        _filled.TrySetResult();
                    }
                    first = false;
                    Joined();
                }, abort);
                SetCurrent(index, null);
                Record(outcome!.Value);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever went wrong, this client counts it and carries on: one failure must not shrink the loop.
                _samples.Error();
                Joined();
                if (!_stopping)
                {
                    _problems.Add(ex);
                    await Task.Delay(500, CancellationToken.None);
                }
            }
            finally
            {
                if (waitingNow)
                {
                    Interlocked.Decrement(ref _waiting);
                }
            }
        }
    }

    /// <summary>The job a client waits for, so the stop can cancel it (a Guid is too wide to read atomically: hence the lock).</summary>
    private void SetCurrent(int index, Guid? jobId)
    {
        lock (_current)
        {
            _current[index] = jobId;
        }
    }

    private Guid? Current(int index)
    {
        lock (_current)
        {
            return _current[index];
        }
    }

    private void Record((string Terminal, DateTimeOffset? CompletedAt, DateTimeOffset ReceivedAt) outcome)
    {
        if (outcome.Terminal == "completed" && outcome.CompletedAt is { } completedAt)
        {
            if (_samples.Recording)
            {
                Interlocked.Increment(ref _completedInWindow);
            }
            _samples.Add(outcome.ReceivedAt - completedAt);
        }
        else if (!(_stopping && outcome.Terminal == "cancelled"))
        {
            _samples.Error();
        }
    }

    /// <summary>Cancels every outstanding job (clients then see <c>cancelled</c> and leave), then waits for the clients.</summary>
    private async Task StopAsync(Task[] clients, CancellationTokenSource abort)
    {
        _stopping = true;
        await Parallel.ForEachAsync(Enumerable.Range(0, size), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (index, _) =>
        {
            if (Current(index) is { } jobId)
            {
                try
                {
                    await client.CancelAsync(visitors[index % visitors.Length], jobId, CancellationToken.None);
                }
                catch (HttpRequestException)
                {
                    // The job may have finished meanwhile; its client leaves on its own.
                }
            }
        });
        // Pollers see the cancellation at their next poll; streams at once.
        var all = Task.WhenAll(clients);
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30))) != all)
        {
            Console.Error.WriteLine($"  ! {delivery.Name} at {size}: some clients had not finished 30 s after the stop; aborting them");
            await abort.CancelAsync();
            await Quietly(clients);
        }
    }

    /// <summary>Waits for aborted clients without rethrowing their cancellation.</summary>
    private static Task Quietly(Task[] clients) => Task.WhenAll(clients.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));

    private static async Task WaitOrFailAsync(Task ready, Task[] clients, TimeSpan timeout)
    {
        var failed = Task.WhenAll(clients); // completes early only if every client gave up
        var winner = await Task.WhenAny(ready, failed, Task.Delay(timeout));
        if (winner != ready)
        {
            throw new TimeoutException($"Not every client was waiting within {timeout.TotalSeconds:0} s.");
        }
    }
}
