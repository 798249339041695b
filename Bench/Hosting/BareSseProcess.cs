using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using BlazorJobs.Bench.BareSse;

namespace BlazorJobs.Bench.Hosting;

/// <summary>The bare Kestrel SSE server (<see cref="BareSseServer"/>) as its own process, like the app, in the GC mode given.</summary>
public sealed class BareSseProcess : IAsyncDisposable
{
    private readonly Process _process;

    private BareSseProcess(Process process, Uri baseAddress, string gcMode)
    {
        _process = process;
        BaseAddress = baseAddress;
        GcMode = gcMode;
    }

    public Uri BaseAddress { get; }
    public int Pid => _process.Id;

    /// <summary>What the process itself reports (<c>GCSettings.IsServerGC</c>), to show both sides ran in the same mode.</summary>
    public string GcMode { get; }

    public static async Task<BareSseProcess> StartAsync(double heartbeatSeconds, IReadOnlyDictionary<string, string> gcEnvironment)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var baseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        listener.Stop();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Assembly.GetEntryAssembly()!.Location, BareSseServer.Flag, baseAddress.ToString().TrimEnd('/'), heartbeatSeconds.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in gcEnvironment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the bare SSE server.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 150; attempt++)
        {
            if (process.HasExited)
            {
                break;
            }
            try
            {
                var mode = await http.GetStringAsync("health");
                return new BareSseProcess(process, baseAddress, mode);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(200);
            }
        }
        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("The bare SSE server did not start within 30 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Posix.Terminate(_process.Id);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}
