namespace BlazorJobs.Tests.Integration.Api.Support;

/// <summary>Waits for a condition the server reaches on its own schedule (a worker, a reconnect), with a deadline instead of a sleep.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

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
            await Task.Delay(50);
        }
    }
}
