namespace BlazorJobs.Server.Hosting;

/// <summary>
/// Where a running cluster listens, as its postmaster wrote it in <c>postmaster.pid</c>: line 4 is the
/// port, line 5 the first Unix-socket folder (the layout PostgreSQL documents since version 10, see
/// <c>src/include/utils/pidfile.h</c>). An instance that joins a running cluster connects through these.
/// </summary>
internal sealed record PostmasterPidFile(int ProcessId, int Port, string SocketDirectory)
{
    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "postmaster.pid");

    /// <summary>The file's content, or null when there is none or it is not (yet) complete.</summary>
    public static PostmasterPidFile? Read(string dataDirectory)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(PathIn(dataDirectory));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        // The postmaster writes the file in steps while it starts; a short one is not ready to read.
        if (lines.Length < 5
            || !int.TryParse(lines[0], out var pid)
            || !int.TryParse(lines[3], out var port)
            || string.IsNullOrWhiteSpace(lines[4]))
        {
            return null;
        }
        return new PostmasterPidFile(pid, port, lines[4].Trim());
    }
}
