using System.Globalization;

namespace BlazorJobs.Bench.Hosting;

/// <summary>CPU time consumed so far by the server process and by its PostgreSQL cluster.</summary>
public readonly record struct CpuSample(TimeSpan Server, TimeSpan Postgres)
{
    public TimeSpan Total => Server + Postgres;

    public static CpuSample operator -(CpuSample after, CpuSample before) =>
        new(after.Server - before.Server, after.Postgres - before.Postgres);

    public static CpuSample operator *(CpuSample sample, double factor) =>
        new(sample.Server * factor, sample.Postgres * factor);
}

/// <summary>
/// Reads user + system CPU time from <c>/proc/&lt;pid&gt;/stat</c>. PostgreSQL runs as a postmaster
/// with one process per connection, so its cost is the postmaster's own time, plus the time of its
/// children that have exited (cutime/cstime), plus that of its live children.
/// </summary>
public static class ProcessCpu
{
    public static CpuSample Sample(int serverPid, int? postmasterPid) =>
        new(Own(serverPid), postmasterPid is { } pm ? Cluster(pm) : TimeSpan.Zero);

    private static TimeSpan Own(int pid) => Read(pid) is { } stat ? Ticks(stat.UTime + stat.STime) : TimeSpan.Zero;

    private static TimeSpan Cluster(int postmasterPid)
    {
        if (Read(postmasterPid) is not { } postmaster)
        {
            return TimeSpan.Zero;
        }
        var ticks = postmaster.UTime + postmaster.STime + postmaster.CUTime + postmaster.CSTime;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != postmasterPid && Read(pid) is { } child && child.ParentPid == postmasterPid)
            {
                ticks += child.UTime + child.STime;
            }
        }
        return Ticks(ticks);
    }

    private static TimeSpan Ticks(long ticks) => TimeSpan.FromSeconds((double)ticks / Posix.ClockTicksPerSecond);

    private sealed record Stat(int ParentPid, long UTime, long STime, long CUTime, long CSTime);

    private static Stat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // the process has gone
        }
        // The command name (field 2) may contain spaces and parentheses: fields are counted after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new Stat((int)Field(4), Field(14), Field(15), Field(16), Field(17));
    }
}
