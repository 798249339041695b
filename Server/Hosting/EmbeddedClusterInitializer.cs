using System.Security.Cryptography;

namespace BlazorJobs.Server.Hosting;

/// <summary>Runs <c>initdb</c> on a data folder that has no cluster yet (under the cluster's control lock).</summary>
internal static partial class EmbeddedClusterInitializer
{
    public static async Task InitialiseIfNeededAsync(PostgresTools tools, string dataDirectory, string superuser, ILogger logger, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            LogReusing(logger, dataDirectory);
            return;
        }

        Directory.CreateDirectory(dataDirectory);
        await PostgresTools.GiveToServiceUserAsync(dataDirectory, cancellationToken);

        // The superuser's password only matters for TCP clients (psql -h 127.0.0.1, pgAdmin);
        // the app itself comes in through the private socket.
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var scratch = Directory.CreateTempSubdirectory("bj-initdb-").FullName;
        try
        {
            var passwordFile = Path.Combine(scratch, "pwfile");
            await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
            await PostgresTools.GiveToServiceUserAsync(scratch, cancellationToken);
            var credentialsFile = dataDirectory + ".password";
            await File.WriteAllTextAsync(credentialsFile, $"user={superuser} password={password}{Environment.NewLine}", cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(credentialsFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            LogInitialising(logger, dataDirectory);
            await tools.RunAsync("initdb", ["-D", dataDirectory, "-U", superuser, "--pwfile", passwordFile, "-E", "UTF8", "--no-locale",
                "--auth-local=trust", "--auth-host=scram-sha-256"], cancellationToken);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reusing the embedded PostgreSQL data folder {DataDirectory}")]
    private static partial void LogReusing(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Initialising the embedded PostgreSQL cluster in {DataDirectory}")]
    private static partial void LogInitialising(ILogger logger, string dataDirectory);
}
