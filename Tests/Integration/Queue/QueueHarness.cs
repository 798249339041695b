using BlazorJobs.Server.Chat;
using BlazorJobs.Server.Jobs;
using BlazorJobs.Server.Tutor;
using BlazorJobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Tests.Integration.Queue;

/// <summary>
/// The queue's parts wired by hand over a fresh database with a fake tutor, so a test drives claims,
/// runs and workers directly and inspects the rows, with no HTTP and no listener in between.
/// </summary>
public sealed class QueueHarness : IAsyncDisposable
{
    public const string Owner = "visitor:queue-tests";
    public const string Kind = ChatbotKind.Landing;

    private readonly ServiceProvider _services;
    private readonly List<(JobWorker Worker, WorkerSignal Signal)> _workers = [];

    private QueueHarness(ServiceProvider services) => _services = services;

    public NpgsqlDataSource DataSource => _services.GetRequiredService<NpgsqlDataSource>();
    public JobQueue Queue => _services.GetRequiredService<JobQueue>();
    public JobClaimer Claimer => _services.GetRequiredService<JobClaimer>();
    public JobRunner Runner => _services.GetRequiredService<JobRunner>();
    public JobCleaner Cleaner => _services.GetRequiredService<JobCleaner>();

    public static async Task<QueueHarness> StartAsync(ITutor tutor, JobOptions? options = null)
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddMetrics()
            .AddSingleton(_ => NpgsqlDataSource.Create(connectionString))
            .AddSingleton(Options.Create(options ?? new JobOptions()))
            .AddSingleton(Options.Create(new ChatOptions()))
            .AddSingleton(TimeProvider.System)
            .AddSingleton(tutor)
            .AddSingleton<WorkerSignal>()
            .AddSingleton<QueueStatsSampler>()
            .AddSingleton<JobMetrics>()
            .AddSingleton<JobQueue>()
            .AddSingleton<BlazorJobs.Server.Hosting.InstanceIdentity>()
            .AddSingleton<JobClaimer>()
            .AddSingleton<JobRunner>()
            .AddSingleton<JobCleaner>()
            .BuildServiceProvider();
        return new QueueHarness(services);
    }

    public static EnqueueCommand Command(string question, string? idempotencyKey = null) =>
        new(Kind, Owner, question, SessionId: null, CourseId: null, LessonId: null, DeliveryMode: "sse", idempotencyKey);

    /// <summary>Enqueues a question and wakes the running workers, as the app's <c>NOTIFY job_enqueued</c> does.</summary>
    public async Task<Guid> EnqueueAsync(string question = "How do I centre a div with flexbox?")
    {
        var outcome = await Queue.EnqueueAsync(Command(question), CancellationToken.None);
        Assert.Equal(EnqueueStatus.Accepted, outcome.Status);
        PulseWorkers();
        return outcome.JobId;
    }

    public async Task<IReadOnlyList<Guid>> EnqueueManyAsync(int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await EnqueueAsync($"Question {i}: how does flexbox work?"));
        }
        return ids;
    }

    /// <summary>One claimer's loop, without a worker: claim and run jobs until none is runnable.</summary>
    public async Task RunUntilEmptyAsync()
    {
        while (await Claimer.TryClaimAsync(CancellationToken.None) is { } lease)
        {
            await Runner.RunAsync(lease, CancellationToken.None);
        }
    }

    public async Task<JobLease> ClaimAsync()
    {
        var lease = await Claimer.TryClaimAsync(CancellationToken.None);
        Assert.NotNull(lease);
        return lease;
    }

    /// <summary>One of the queue's parts built over this harness's services, with <paramref name="arguments"/> in place of theirs (e.g. another clock).</summary>
    public T Create<T>(params object[] arguments) => ActivatorUtilities.CreateInstance<T>(_services, arguments);

    /// <summary>A worker with its own signal (as in a separate process), started; stopped when the harness is disposed.</summary>
    /// <param name="shutdownTimeout">The host's shutdown timeout: the worker lets running jobs finish for half of it.</param>
    public async Task<JobWorker> StartWorkerAsync(int concurrency = 1, TimeSpan? shutdownTimeout = null)
    {
        var signal = new WorkerSignal();
        var runner = Create<JobRunner>(signal);
        var worker = new JobWorker(
            Claimer,
            runner,
            signal,
            // A long sweep: the worker must be woken by enqueue and retry signals, not by the safety net.
            Options.Create(new WorkerOptions { Concurrency = concurrency, SweepSeconds = 60 }),
            Options.Create(new HostOptions { ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(10) }),
            _services.GetRequiredService<ILogger<JobWorker>>());
        lock (_workers)
        {
            _workers.Add((worker, signal));
        }
        await worker.StartAsync(CancellationToken.None);
        return worker;
    }

    public void PulseWorkers()
    {
        lock (_workers)
        {
            _workers.ForEach(w => w.Signal.Pulse());
        }
    }

    /// <summary>Simulates a worker that died: its lease runs out without it writing anything.</summary>
    public Task ExpireLeaseAsync(Guid jobId) =>
        ExecuteAsync("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = @id", ("id", jobId));

    public async Task<JobRow> JobAsync(Guid jobId)
    {
        await using var command = DataSource.CreateCommand(
            "SELECT status, attempt, max_attempts, last_event_seq, error_message, lease_token FROM jobs WHERE id = @id");
        command.Parameters.AddWithValue("id", jobId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"job {jobId} does not exist");
        return new JobRow(
            reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetGuid(5));
    }

    public async Task<IReadOnlyList<EventRow>> EventsAsync(Guid jobId)
    {
        await using var command = DataSource.CreateCommand("SELECT seq, type, data, created_at FROM job_events WHERE job_id = @id ORDER BY seq");
        command.Parameters.AddWithValue("id", jobId);
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<EventRow>();
        while (await reader.ReadAsync())
        {
            events.Add(new EventRow(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return events;
    }

    /// <summary>The chat messages written for a job with <paramref name="role"/> ("user" or "assistant").</summary>
    public async Task<IReadOnlyList<string>> MessagesAsync(Guid jobId, string role)
    {
        await using var command = DataSource.CreateCommand("SELECT text FROM chat_messages WHERE job_id = @id AND role = @role ORDER BY id");
        command.Parameters.AddWithValue("id", jobId);
        command.Parameters.AddWithValue("role", role);
        await using var reader = await command.ExecuteReaderAsync();
        var texts = new List<string>();
        while (await reader.ReadAsync())
        {
            texts.Add(reader.GetString(0));
        }
        return texts;
    }

    public Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters) => ScalarAsync<long>(sql, parameters);

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = CreateCommand(sql, parameters);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = CreateCommand(sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    private NpgsqlCommand CreateCommand(string sql, (string Name, object Value)[] parameters)
    {
        var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (worker, _) in _workers)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await worker.StopAsync(timeout.Token);
            worker.Dispose();
        }
        await _services.DisposeAsync();
    }
}
