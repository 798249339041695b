using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace BlazorJobs.Server.Feed;

/// <summary>
/// The opaque cursor: the last item's position (microsecond date and id), protected with the app's
/// data-protection keys (kept in the database, so every instance reads every instance's cursors).
/// Only a cursor this feed gave out is accepted: a made-up one would miss the page cache and cost a
/// full set of source queries each time, and a malformed one would fail a source query and make a
/// silently partial page. Either is a <c>400</c>.
/// </summary>
public sealed class FeedCursor(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("BlazorJobs.Feed.Cursor.v1");

    public string Encode(FeedPosition position) =>
        _protector.Protect(JsonSerializer.Serialize(new CursorBody(position.SortDate.UtcTicks, position.Id)));

    /// <summary>False when <paramref name="cursor"/> is not one this feed gave out; an empty cursor is the first page.</summary>
    public bool TryDecode(string? cursor, out FeedPosition? position)
    {
        position = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }
        try
        {
            var body = JsonSerializer.Deserialize<CursorBody>(_protector.Unprotect(cursor));
            if (body is null || string.IsNullOrEmpty(body.I) || !body.I.Contains(':'))
            {
                return false;
            }
            position = new FeedPosition(new DateTimeOffset(body.T, TimeSpan.Zero), body.I);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or JsonException or ArgumentException)
        {
            return false;
        }
    }

    private sealed record CursorBody(long T, string I);
}
