using System.Diagnostics;

namespace BlazorJobs.Bench.Measure;

/// <summary>Progress lines on the console, stamped with the time since the run started (the run has a 10-minute budget).</summary>
public static class Progress
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Line(string text) => Console.WriteLine($"[{Clock.Elapsed:mm\\:ss}] {text}");
}
