using BlazorJobs.Server.Data;
namespace BlazorJobs.Server.Jobs;

/// <summary>
/// Builds the single statement that changes a job, appends its next event and notifies listeners.
/// </summary>
/// <remarks>
/// One statement means one round trip and one transaction: the job row update (which increments
/// <c>last_event_seq</c> under the row lock, so events of one job are numbered in commit order),
/// the event row and the <c>NOTIFY</c> commit together or not at all. The notification carries the
/// event itself when it is well under PostgreSQL's 8,000-byte payload limit, so a waiting stream
/// needs no query; larger events carry only their ids and are read from the table.
/// The job update must be a <c>RETURNING *</c> statement over <c>jobs</c>; when it matches no row
/// (the fence: lease lost, job cancelled) nothing is appended and the statement returns no row.
/// </remarks>
internal static class JobEventSql
{
    public const int MaxInlinePayloadBytes = 7000;

    /// <param name="jobUpdate">An <c>UPDATE jobs … SET last_event_seq = last_event_seq + 1 … RETURNING *</c>.</param>
    /// <param name="eventType">SQL expression for the event type.</param>
    /// <param name="eventData">SQL expression (text) for the event's JSON data; may use the updated row as <c>j</c>.</param>
    /// <param name="extraCtes">Further data-modifying CTEs (each starting with a comma) that commit with the event.</param>
    /// <param name="extraColumns">Further columns of the updated row to return (each starting with a comma).</param>
    public static string AppendEvent(string jobUpdate, string eventType, string eventData, string extraCtes = "", string extraColumns = "") => $"""
        WITH j AS ({jobUpdate}){extraCtes},
        ev AS (
            INSERT INTO job_events (job_id, seq, type, data, created_at)
            SELECT j.id, j.last_event_seq, {eventType}, {eventData}, now() FROM j
            RETURNING id, job_id, seq, type, data)
        SELECT ev.id, ev.seq, ev.job_id, j.attempt, j.status{extraColumns},
               pg_notify('{Channels.JobEvents}', json_build_object(
                   'g', ev.id, 'j', ev.job_id, 's', ev.seq, 'ss', j.session_id, 'o', j.owner_key, 'a', j.attempt, 'st', j.status, 't', ev.type,
                   'd', CASE WHEN octet_length(ev.data) <= {MaxInlinePayloadBytes} THEN ev.data::json END)::text)
        FROM ev, j
        """;

    /// <summary>The status event's data: the job's state and attempt after the update.</summary>
    public const string StatusData = "json_build_object('status', j.status, 'attempt', j.attempt)::text";

    /// <summary>ISO 8601 UTC with microseconds, whatever the session's time zone.</summary>
    public static string IsoUtc(string timestampExpression) =>
        $"to_char({timestampExpression} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
}
