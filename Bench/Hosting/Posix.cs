using System.Runtime.InteropServices;

namespace BlazorJobs.Bench.Hosting;

/// <summary>The two libc calls .NET has no API for: sending SIGTERM, and the kernel's clock tick for /proc times.</summary>
internal static class Posix
{
    private const int SigTerm = 15;
    private const int ScClkTck = 2; // _SC_CLK_TCK on Linux

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long SysConf(int name);

    /// <summary>Asks a process to shut down gracefully (the generic host stops on SIGTERM).</summary>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    public static readonly long ClockTicksPerSecond = SysConf(ScClkTck) is > 0 and var ticks ? ticks : 100;
}
