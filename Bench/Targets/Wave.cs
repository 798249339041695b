using System.Diagnostics;
using BlazorJobs.Bench.Client;
using BlazorJobs.Bench.Hosting;
using BlazorJobs.Bench.Measure;

namespace BlazorJobs.Bench.Targets;

/// <summary>What one wave cost, from its first enqueue to its last answer.</summary>
public sealed record WaveResult(Delivery Delivery, int Jobs, int Answered, long Requests, TimeSpan Elapsed, CpuSample Cpu, long Errors,
    IReadOnlyList<(Visitor Visitor, Accepted Job)> Enqueued)
{
    public double RequestsPerAnswer => (double)Requests / Answered;

    /// <summary>CPU per answer, less what the processes burn anyway when idle (<paramref name="idlePerSecond"/>) over the wave's length.</summary>
    public CpuSample NetPerAnswer(CpuSample idlePerSecond) => (Cpu - idlePerSecond * Elapsed.TotalSeconds) * (1.0 / Answered);
}

/// <summary>
/// <c>jobs</c> clients arrive within one second, each asks one question and waits for its answer the
/// given way. With no more jobs than worker slots nobody queues, so every client waits exactly one
/// job duration. Counts every request the clients sent and the CPU the server and PostgreSQL used.
/// </summary>
/// <param name="waitAfterEnqueues">
/// Start waiting only once every client has enqueued. Enqueues wake the worker (NOTIFY), and each wake-up
/// ends with one claim that finds nothing: streams opened between enqueues would change how the wake-ups
/// fall, and so the statement count, for reasons that are not the streams'.
/// </param>
public sealed class Wave(Scenario scenario, int jobs, Delivery delivery, bool waitAfterEnqueues = false)
{
    private static readonly TimeSpan Arrivals = TimeSpan.FromSeconds(1);
    private readonly TaskCompletionSource _allWaiting = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _allEnqueued = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _enqueuedCount;
    private readonly List<(Visitor, Accepted)> _enqueued = [];
    private readonly ProblemLog _problems = new($"{delivery.Name}, wave of {jobs}");
    private int _waiting;
    private int _answered;
    private long _errors;

    /// <param name="whileWaiting">Runs once every client is waiting (for SSE: every stream is open), e.g. to sample the database.</param>
    public async Task<WaveResult> RunAsync(Func<Task>? whileWaiting = null)
    {
        var client = scenario.Client;
        var requestsBefore = client.Requests;
        var cpuBefore = scenario.Server.Cpu();
        var clock = Stopwatch.StartNew();

        var clients = Enumerable.Range(0, jobs).Select(i => Task.Run(() => ClientAsync(i))).ToArray();
        var all = Task.WhenAll(clients);
        await Task.WhenAny(_allWaiting.Task, all);
        // Both may finish together (enqueue-only clients are done once they are "waiting"): ask which is done, not which won.
        if (_allWaiting.Task.IsCompleted && whileWaiting is not null)
        {
            await whileWaiting();
        }
        await all;
        _problems.Summarize();
        if (delivery == Delivery.None)
        {
            // Nobody waits over HTTP: watch the table from the probe's side until the worker is done.
            var ids = JobIds();
            await scenario.Probe.WaitForJobsAsync(ids, TimeSpan.FromMinutes(10), "COMPLETED", "FAILED", "CANCELLED");
            _answered = (int)await scenario.Probe.CountJobsAsync(ids, "COMPLETED");
        }
        var elapsed = clock.Elapsed;
        var cpu = scenario.Server.Cpu() - cpuBefore;
        return new WaveResult(delivery, jobs, _answered, client.Requests - requestsBefore, elapsed, cpu, Interlocked.Read(ref _errors), _enqueued);
    }

    public IReadOnlyCollection<Guid> JobIds()
    {
        lock (_enqueued)
        {
            return _enqueued.Select(e => e.Item2.JobId).ToArray();
        }
    }

    private async Task ClientAsync(int index)
    {
        await Task.Delay(Arrivals * index / jobs);
        var visitor = scenario.Visitors[index % scenario.Visitors.Length];
        var waiting = false;
        var counted = false;
        void Waiting()
        {
            if (!waiting)
            {
                waiting = true;
                OnWaiting();
            }
        }
        try
        {
            var job = await scenario.Client.EnqueueAsync(visitor, $"Wave question {index}", CancellationToken.None);
            lock (_enqueued)
            {
                _enqueued.Add((visitor, job));
            }
            counted = true;
            await EnqueuedAsync();
            var outcome = await delivery.AwaitAsync(scenario.Client, visitor, job, Waiting, CancellationToken.None);
            if (outcome?.Terminal == "completed")
            {
                Interlocked.Increment(ref _answered);
            }
            else if (outcome is not null)
            {
                Interlocked.Increment(ref _errors);
            }
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _errors);
            _problems.Add(ex);
            // So the others are not held up.
            if (!counted)
            {
                _ = EnqueuedAsync();
            }
            Waiting();
        }
    }

    /// <summary>Counts this client's enqueue (or its failure) and, when asked to, waits for everyone else's.</summary>
    private Task EnqueuedAsync()
    {
        if (Interlocked.Increment(ref _enqueuedCount) == jobs)
        {
            _allEnqueued.TrySetResult();
        }
        return waitAfterEnqueues ? _allEnqueued.Task : Task.CompletedTask;
    }

    private void OnWaiting()
    {
        if (Interlocked.Increment(ref _waiting) == jobs)
        {
            _allWaiting.TrySetResult();
        }
    }
}
