using System.Text;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>
/// One block of an SSE stream as written on the wire: its lines up to the blank line. Comments
/// (<c>: heartbeat</c>), the <c>retry:</c> field and whether an event carries an <c>id:</c> line are
/// visible here, which <see cref="System.Net.ServerSentEvents.SseParser"/> hides.
/// </summary>
public sealed record RawBlock(IReadOnlyList<string> Lines)
{
    public bool IsHeartbeat => Lines is [": heartbeat"];

    public string? Field(string name) =>
        Lines.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal)) is { } line ? line[(name.Length + 1)..].TrimStart(' ') : null;

    public string? EventType => Field("event");

    public string? Id => Field("id");

    public string? Data => Field("data");
}

/// <summary>Reads an SSE response block by block, as bytes arrive.</summary>
public sealed class RawStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private RawStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    public static async Task<RawStream> OpenAsync(HttpClient client, string url, string? lastEventId = null)
    {
        var response = await LiveStream.OpenOkAsync(client, url, lastEventId);
        return new RawStream(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next block, or null when the server closed the stream.</summary>
    public async Task<RawBlock?> NextAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cancel.CancelAfter(timeout ?? LiveStream.DefaultTimeout);
        var lines = new List<string>();
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(cancel.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No complete SSE block within {timeout ?? LiveStream.DefaultTimeout}; partial: {string.Join(" | ", lines)}");
            }
            if (line is null)
            {
                return lines.Count == 0 ? null : new RawBlock(lines);
            }
            if (line.Length == 0)
            {
                if (lines.Count > 0)
                {
                    return new RawBlock(lines);
                }
                continue;
            }
            lines.Add(line);
        }
    }

    /// <summary>Every block until the server closes the stream.</summary>
    public async Task<List<RawBlock>> ReadToEndAsync(TimeSpan? timeout = null)
    {
        var blocks = new List<RawBlock>();
        while (await NextAsync(timeout) is { } block)
        {
            blocks.Add(block);
        }
        return blocks;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
