namespace BlazorJobs.Bench.Database;

/// <summary>
/// Target 6's SQL on the app's schema: the bare baseline's claim and completion (copies of the app's own
/// statements in <c>Server/Jobs/JobClaimer.cs</c> and <c>JobLease.CompleteAsync</c> as built by
/// <c>JobEventSql.AppendEvent</c>: the same rows written, the same event rows, the same NOTIFYs), and the
/// hold that keeps a batch of enqueued jobs out of the app's worker until the benchmark releases it.
/// The Bench does not reference Server, so a change to those statements must be copied here.
/// </summary>
internal static class QueueSql
{
    /// <summary>Questions starting with this are enqueued held: the trigger sets their <c>run_after</c> a day ahead.</summary>
    public const string HeldMarker = "[held] ";

    /// <summary>
    /// A trigger of the benchmark's own (on its private database, never the app's code): while it exists,
    /// a job whose question starts with <see cref="HeldMarker"/> is inserted with <c>run_after</c> a day
    /// ahead, so the app's claim (<c>run_after &lt;= now()</c>) skips it. The enqueue is otherwise the
    /// real one (over HTTP), with its session, message, event 1 and NOTIFYs.
    /// </summary>
    public const string CreateHold = $"""
        CREATE OR REPLACE FUNCTION bench_hold_job() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF NEW.question LIKE '{HeldMarkerLike}' THEN
                NEW.run_after := now() + interval '1 day';
            END IF;
            RETURN NEW;
        END $f$;
        DROP TRIGGER IF EXISTS bench_hold_job ON jobs;
        CREATE TRIGGER bench_hold_job BEFORE INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION bench_hold_job();
        """;

    private const string HeldMarkerLike = "[held]%";

    public const string DropHold = "DROP TRIGGER IF EXISTS bench_hold_job ON jobs; DROP FUNCTION IF EXISTS bench_hold_job()";

    /// <summary>
    /// Makes every held job due at once and wakes the app's worker, as one commit (the enqueue's own
    /// <c>pg_notify('job_enqueued', '')</c>).
    /// </summary>
    public const string Release = """
        WITH r AS (UPDATE jobs SET run_after = now() WHERE status = 'PENDING' AND run_after > now() + interval '1 hour' RETURNING 1)
        SELECT count(*), pg_notify('job_enqueued', '') FROM r
        """;

    /// <summary>
    /// The app's claim (JobClaimer.ClaimSql), word for word but for the due test: <c>run_after &lt;= now()</c>
    /// becomes <c>run_after &lt;= now() + 2 days</c>, so the bare loop claims the held jobs the app's
    /// worker cannot see (the same partial index, the same ORDER BY run_after LIMIT 1 FOR UPDATE SKIP LOCKED).
    /// </summary>
    public const string Claim = $"""
        WITH j AS (UPDATE jobs SET status = 'PROCESSING', lease_token = @token, claimed_by = @instance, lease_expires_at = now() + make_interval(secs => @lease),
               started_at = now(), attempt = CASE WHEN status = 'PROCESSING' THEN attempt + 1 ELSE attempt END,
               last_event_seq = last_event_seq + 1
        WHERE id = (
            SELECT id FROM jobs
            WHERE status IN ('PENDING', 'PROCESSING') AND run_after <= now() + interval '2 days'
              AND (status = 'PENDING' OR lease_expires_at < now())
            ORDER BY run_after
            LIMIT 1
            FOR UPDATE SKIP LOCKED)
        RETURNING *),
        ev AS (
            INSERT INTO job_events (job_id, seq, type, data, created_at)
            SELECT j.id, j.last_event_seq, 'status', json_build_object('status', j.status, 'attempt', j.attempt)::text, now() FROM j
            RETURNING id, job_id, seq, type, data)
        SELECT ev.id, ev.seq, ev.job_id, j.attempt, j.status, j.kind, j.session_id, j.question, j.course_id, j.lesson_id, j.max_attempts, j.lease_token,
               {Notify}
        FROM ev, j
        """;

    /// <summary>The app's completion (JobLease.CompleteAsync): result, <c>completed</c> event with <c>completedAt</c>, the assistant's message, the session touched, fenced by the lease.</summary>
    public const string Complete = $"""
        WITH j AS (UPDATE jobs SET status = 'COMPLETED', result = @result::jsonb, completed_at = clock_timestamp(),
               last_event_seq = last_event_seq + 1, lease_token = NULL, lease_expires_at = NULL
        WHERE id = @id AND lease_token = @token AND status = 'PROCESSING' RETURNING *),
        m AS (
            INSERT INTO chat_messages (session_id, job_id, role, text, sources, created_at)
            SELECT j.session_id, j.id, 'assistant', @answer, @sources::jsonb, j.completed_at FROM j
            WHERE EXISTS (SELECT 1 FROM chat_sessions s WHERE s.id = j.session_id)
            ON CONFLICT (job_id, role) DO NOTHING),
        s AS (UPDATE chat_sessions SET updated_at = now() WHERE id = (SELECT session_id FROM j)),
        feed AS (SELECT pg_notify('feed_changed', json_build_object('t', 'answer', 'k', json_build_array(j.id))::text)
                 FROM j WHERE j.kind = 'tutor' AND j.course_id IS NOT NULL),
        ev AS (
            INSERT INTO job_events (job_id, seq, type, data, created_at)
            SELECT j.id, j.last_event_seq, 'completed',
                   (j.result || jsonb_build_object('completedAt', to_char(j.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))::text, now() FROM j
            RETURNING id, job_id, seq, type, data)
        SELECT ev.id, ev.seq, ev.job_id, j.attempt, j.status, (SELECT count(*) FROM feed) AS feed_notified,
               {Notify}
        FROM ev, j
        """;

    private const string Notify = """
        pg_notify('job_events', json_build_object(
                   'g', ev.id, 'j', ev.job_id, 's', ev.seq, 'ss', j.session_id, 'o', j.owner_key, 'a', j.attempt, 'st', j.status, 't', ev.type,
                   'd', CASE WHEN octet_length(ev.data) <= 7000 THEN ev.data::json END)::text)
        """;

    /// <summary>When a set of jobs was enqueued, first claimed and last completed (the database's clock), and how many completed.</summary>
    public const string Span = """
        SELECT count(*) FILTER (WHERE status = 'COMPLETED'), min(created_at), min(started_at), max(completed_at)
        FROM jobs WHERE id = ANY(@ids)
        """;

    /// <summary>Each job's insert (<c>created_at</c>, the enqueue transaction's start) and claim (<c>started_at</c>, the claim statement's start).</summary>
    public const string ClaimDelays = """
        SELECT extract(epoch FROM started_at - created_at) * 1000 FROM jobs WHERE id = ANY(@ids) AND started_at IS NOT NULL
        """;

    /// <summary>The event rows the jobs have (one per notifying commit), by type (and status for <c>status</c> events).</summary>
    public const string EventsByType = """
        SELECT CASE WHEN type = 'status' THEN 'status ' || (data::json ->> 'status') ELSE type END, count(*)
        FROM job_events WHERE job_id = ANY(@ids) GROUP BY 1 ORDER BY min(seq), 1
        """;
}
