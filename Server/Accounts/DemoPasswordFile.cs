using System.Text.Json;

namespace BlazorJobs.Server.Accounts;

/// <summary>
/// The generated demo passwords of an embedded cluster, kept in its data folder so that they stay what the
/// banner printed for as long as that folder lives — across restarts, and for every instance sharing it.
/// The file is readable by the app's OS user only (0600); the postgres user cannot read it.
/// </summary>
internal static class DemoPasswordFile
{
    public const string FileName = "blazorjobs-demo-logins.json";

    public sealed record Passwords(string Learner, string Admin);

    /// <summary>The folder's passwords, generated and stored on the first call.</summary>
    public static async Task<Passwords> LoadOrCreateAsync(string dataDirectory, Func<string> generate, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (await TryReadAsync(path, cancellationToken) is { } stored)
        {
            return stored;
        }

        // Written whole under a private name, then moved into place without overwriting: two instances
        // starting at once both read whichever landed first, never half a file.
        var fresh = new Passwords(generate(), generate());
        var scratch = $"{path}.{Guid.NewGuid():N}.tmp";
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using (var file = new FileStream(scratch, create))
        {
            await JsonSerializer.SerializeAsync(file, fresh, cancellationToken: cancellationToken);
        }
        try
        {
            File.Move(scratch, path, overwrite: false);
            return fresh;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(scratch);
            return await TryReadAsync(path, cancellationToken) ?? throw new InvalidOperationException($"{path} holds no demo passwords.");
        }
    }

    private static async Task<Passwords?> TryReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = File.OpenRead(path);
            var stored = await JsonSerializer.DeserializeAsync<Passwords>(file, cancellationToken: cancellationToken);
            return stored is { Learner.Length: > 0, Admin.Length: > 0 } ? stored : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
