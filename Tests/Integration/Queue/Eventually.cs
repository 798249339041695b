namespace BlazorJobs.Tests.Integration.Queue;

/// <summary>Waits with a deadline, so a broken rule fails the test instead of hanging the run.</summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Polls a condition the test has no signal for (a row reaching a state).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }
            await Task.Delay(25);
        }
    }

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
