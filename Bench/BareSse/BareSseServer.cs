using System.Runtime;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace BlazorJobs.Bench.BareSse;

/// <summary>
/// Target 4's floor: a bare Kestrel server that holds SSE streams and writes a heartbeat comment into each
/// on a timer, and nothing else (no database, no auth, no hub, no middleware). Whatever the app holds per
/// stream beyond what this holds is the app's own. Run by the benchmark as a separate process:
/// <c>BlazorJobs.Bench --bare-sse-server &lt;url&gt; &lt;heartbeat seconds&gt;</c>, in the same GC mode as the app.
/// </summary>
public static class BareSseServer
{
    public const string Flag = "--bare-sse-server";
    private static readonly byte[] Heartbeat = ": heartbeat\n\n"u8.ToArray();

    public static async Task<int> RunAsync(string url, double heartbeatSeconds)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        var heartbeat = TimeSpan.FromSeconds(heartbeatSeconds);

        app.MapGet("/health", () => Results.Text(GCSettings.IsServerGC ? "server" : "workstation"));
        // The same headers and the same opening `retry:` as the app's SseResponseWriter, so the bytes on the wire match.
        app.MapGet("/sse", async (HttpContext context) =>
        {
            var response = context.Response;
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-cache, no-transform";
            response.Headers["X-Accel-Buffering"] = "no";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            var aborted = context.RequestAborted;
            try
            {
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes("retry: 2000\n\n"), aborted);
                await response.Body.FlushAsync(aborted);
                while (true)
                {
                    await Task.Delay(heartbeat, aborted);
                    await response.Body.WriteAsync(Heartbeat, aborted);
                    await response.Body.FlushAsync(aborted);
                }
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // The client left.
            }
        });
        await app.RunAsync();
        return 0;
    }
}
