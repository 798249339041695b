namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>Waits for a condition the server reaches on its own (no signal to await), with a deadline.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(10);

    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? deadline = null)
    {
        var giveUpAt = DateTime.UtcNow + (deadline ?? DefaultDeadline);
        while (!await condition())
        {
            if (DateTime.UtcNow > giveUpAt)
            {
                Assert.Fail($"Not within {deadline ?? DefaultDeadline}: {what}");
            }
            await Task.Delay(20);
        }
    }

    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? deadline = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, deadline);
}
