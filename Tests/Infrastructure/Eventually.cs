namespace BlazorJobs.Tests.Infrastructure;

/// <summary>
/// Waits for what the server reaches on its own schedule (a worker, a reconnect, a row changing state),
/// with a deadline instead of a sleep: a broken rule fails the test with what it waited for, not a hang.
/// Prefer a signal the test can await; this is for conditions that have none.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>Probes until <paramref name="done"/> holds for the value, and returns that value.</summary>
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                var last = value?.ToString() ?? "null";
                throw new TimeoutException($"Gave up waiting for {what}; last saw {(last.Length > 2000 ? last[..2000] + "…" : last)}.");
            }
            await Task.Delay(ProbeInterval);
        }
    }

    /// <summary>Probes until the condition holds.</summary>
    public static Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        ReturnsAsync(condition, held => held, what, timeout);

    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Awaits a task the code under test should complete.</summary>
    public static async Task WithinAsync(Task task, string what, TimeSpan? timeout = null)
    {
        if (await Task.WhenAny(task, Task.Delay(timeout ?? DefaultTimeout)) != task)
        {
            throw new TimeoutException($"Timed out waiting until {what}.");
        }
        await task;
    }
}
