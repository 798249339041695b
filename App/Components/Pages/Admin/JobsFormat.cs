using System.Globalization;

namespace BlazorJobs.App.Components.Pages.Admin;

/// <summary>How the operations dashboard writes its figures: short, unit-bearing, and the same everywhere on the page.</summary>
public static class JobsFormat
{
    /// <summary>
    /// A job id's last 8 characters: enough to tell rows apart (the full id is in the row's title). Not the
    /// first 8: job ids are UUIDv7, whose first characters are the time, shared by jobs enqueued together.
    /// </summary>
    public static string ShortId(Guid id) => id.ToString("N")[^8..];

    public static string Duration(double seconds) => seconds switch
    {
        < 1 => $"{seconds * 1000:0} ms",
        < 120 => $"{seconds:0.#} s",
        < 7200 => $"{seconds / 60:0.#} min",
        _ => $"{seconds / 3600:0.#} h",
    };

    public static string Ms(double? ms) => ms is { } value ? Duration(value / 1000) : "–";

    /// <summary>"in 12 s" or "8 s ago", against the snapshot's own clock (the database's), not this server's.</summary>
    public static string Until(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } moment)
        {
            return "–";
        }
        var seconds = (moment - now).TotalSeconds;
        return seconds >= 0 ? $"in {Duration(seconds)}" : $"{Duration(-seconds)} ago";
    }

    public static string Ago(DateTimeOffset? at, DateTimeOffset now) => at is { } moment ? $"{Duration(Math.Max(0, (now - moment).TotalSeconds))} ago" : "–";

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.##} GiB",
    };

    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Counts(IReadOnlyDictionary<string, long> counts) =>
        counts.Count == 0 || counts.Values.All(v => v == 0)
            ? "none"
            : string.Join(", ", counts.Where(c => c.Value != 0).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));
}
