using System.Globalization;
using Npgsql;

namespace BlazorJobs.Server.Feed;

/// <summary>Runs one source's query: a page of its newest items after a position, or items by key (live pushes).</summary>
public sealed class FeedQueries(NpgsqlDataSource dataSource)
{
    /// <summary>The source's newest <paramref name="limit"/> items strictly after <paramref name="after"/> (an index scan on (date, id)).</summary>
    public async Task<List<FeedItem>> PageAsync(FeedSource source, FeedPosition? after, int limit, CancellationToken cancellationToken)
    {
        var where = "";
        await using var command = dataSource.CreateCommand();
        if (after is not null)
        {
            where = $" AND ({source.Date} < @cd OR ({source.Date} = @cd AND {SameDateCondition(source, after, command)}))";
            command.Parameters.AddWithValue("cd", after.SortDate);
        }
        command.CommandText = $"{Select(source)} {source.From}{where} ORDER BY {source.Date} DESC, {source.Key} DESC LIMIT @limit";
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Items of one source by key, for activity that just landed.</summary>
    public async Task<List<FeedItem>> ByKeysAsync(FeedSource source, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{Select(source)} {source.From} AND {source.Key} = ANY(@keys)");
        if (source.KeyIsUuid)
        {
            command.Parameters.AddWithValue("keys", keys.Select(Guid.Parse).ToArray());
        }
        else
        {
            command.Parameters.AddWithValue("keys", keys.Select(k => long.Parse(k, CultureInfo.InvariantCulture)).ToArray());
        }
        return await ReadAsync(command, cancellationToken);
    }

    private static string Select(FeedSource source) =>
        $"SELECT '{source.Type}:' || {source.KeyText}, {source.Title}, {source.Summary}, {source.Url}, {source.Date}";

    /// <summary>
    /// Among items with the cursor's exact date, which come after it? Ids compare as text
    /// ("type:key"): in the cursor's own source that is a key comparison (keys print in key order);
    /// in another source, the whole source sorts before or after the cursor's type.
    /// </summary>
    private static string SameDateCondition(FeedSource source, FeedPosition after, NpgsqlCommand command)
    {
        var separator = after.Id.IndexOf(':');
        var cursorType = after.Id[..separator];
        if (cursorType == source.Type)
        {
            var key = after.Id[(separator + 1)..];
            command.Parameters.AddWithValue("ckey", source.KeyIsUuid ? Guid.ParseExact(key, "N") : long.Parse(key, CultureInfo.InvariantCulture));
            return $"{source.Key} < @ckey";
        }
        return string.CompareOrdinal(source.Type, cursorType) < 0 ? "true" : "false";
    }

    private static async Task<List<FeedItem>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var items = new List<FeedItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            items.Add(new FeedItem(id, id[..id.IndexOf(':')], reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }
        return items;
    }
}
