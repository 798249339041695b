using System.Collections.Concurrent;

namespace BlazorJobs.Bench.Measure;

/// <summary>
/// Client-side failures of one phase, printed as they happen but only the first few of each kind: when
/// a server falls over, thousands of clients fail the same way and the first lines say it all.
/// </summary>
public sealed class ProblemLog(string phase)
{
    private const int PrintedPerKind = 3;
    private readonly ConcurrentDictionary<string, int> _kinds = new();

    public void Add(Exception ex)
    {
        var kind = ex.GetType().Name + ": " + (ex.Message.Length > 60 ? ex.Message[..60] : ex.Message);
        if (_kinds.AddOrUpdate(kind, 1, (_, n) => n + 1) <= PrintedPerKind)
        {
            Console.Error.WriteLine($"  ! {phase}: {ex.Message}");
        }
    }

    /// <summary>Prints how many of each kind were not shown.</summary>
    public void Summarize()
    {
        foreach (var (kind, count) in _kinds.Where(k => k.Value > PrintedPerKind))
        {
            Console.Error.WriteLine($"  ! {phase}: {count} × {kind}…");
        }
    }
}
