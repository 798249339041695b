namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>An open job stream read continuously in the background, counting its heartbeats as they arrive.</summary>
public sealed class HeartbeatWatch : IAsyncDisposable
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
