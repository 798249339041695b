// sse-client.js: delivers job results, chat-session updates and the live feed to the browser.
//
// EventSource cannot send an Authorization header, so this module reads the body of a plain
// fetch() and interprets the WHATWG event-stream format itself. It runs unchanged in browsers
// and in Node 20+ (where its tests live), so it relies only on fetch, ReadableStream,
// TextDecoder, AbortController and timers, and on localStorage only where one exists.
//
// Page visibility is deliberately ignored: closing a stream when a tab is hidden and re-opening
// it when it is shown would re-request work and waste the connection (see sse-client.md).

/** WHATWG leaves the first reconnection delay to the user agent; browsers use about 3 s. */
const DEFAULT_RETRY_MS = 3_000;
/** Growing back-off stops here, unless the server's own `retry` asks for longer. */
const MAX_BACKOFF_MS = 30_000;
/** Three missed heartbeats at the server's default of 15 s. */
const DEFAULT_HEARTBEAT_TIMEOUT_MS = 45_000;
const DEFAULT_MAX_RETRIES = 5;
/** Polling is the last resort, so it tolerates a longer outage than a stream before giving up. */
const DEFAULT_POLL_MAX_FAILURES = 10;
const DEFAULT_REPORT_URL = "/api/delivery/reports";
/** A report must never keep a finished job waiting on a slow server. */
const REPORT_TIMEOUT_MS = 10_000;
const REPORT_DETAIL_MAX = 500;
const FEED_REFRESH_MS = 30_000;

const BREAKER_KEY = "bj.delivery.streamFailures";
const BREAKER_WINDOW_MS = 5 * 60_000;
const BREAKER_THRESHOLD = 3;
const BREAKER_OPEN_MS = 10 * 60_000;

// ---------------------------------------------------------------------------------------------
// Errors, cancellation, timing
// ---------------------------------------------------------------------------------------------

function deliveryError(kind, message, extra = {}) {
  const error = new Error(message);
  error.kind = kind;
  return Object.assign(error, extra);
}

function abortedError() {
  return deliveryError("aborted", "The operation was aborted.");
}

function throwIfAborted(signal) {
  if (signal?.aborted) throw abortedError();
}

/** Makes `controller` follow `signal`; returns the function that undoes the link. */
function linkAbort(signal, controller) {
  if (!signal) return () => {};
  if (signal.aborted) {
    controller.abort();
    return () => {};
  }
  const onAbort = () => controller.abort();
  signal.addEventListener("abort", onAbort, { once: true });
  return () => signal.removeEventListener("abort", onAbort);
}

/** A timer that an abort clears at once, so an aborted wait leaves nothing scheduled. */
function realSleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Injected sleeps may ignore the signal; the abort must still win. */
async function pause(sleep, ms, signal) {
  await sleep(ms, signal);
  throwIfAborted(signal);
}

const monotonicNow =
  typeof performance !== "undefined" && typeof performance.now === "function"
    ? () => performance.now()
    : () => Date.now();

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
function parseRetryAfter(value) {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Never earlier than the server's `retry`, doubling per failure, plus up to 50 % jitter so that
 * the clients of a restarted server do not all come back in the same instant.
 */
function backoffDelay(retryMs, failures, random) {
  const ceiling = Math.max(MAX_BACKOFF_MS, retryMs);
  const grown = Math.min(retryMs * 2 ** Math.max(0, failures - 1), ceiling);
  return Math.round(grown * (1 + random() / 2));
}

async function resolveHeaders(option) {
  const value = typeof option === "function" ? await option() : option;
  return new Headers(value ?? {});
}

function parseData(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A bug in a page's callback must not cost the user their answer. */
function safeCall(callback, ...args) {
  if (typeof callback !== "function") return;
  try {
    callback(...args);
  } catch (error) {
    if (typeof reportError === "function") reportError(error);
    else console.error(error);
  }
}

function isRetryableStatus(status) {
  return status === 429 || status >= 500;
}

/** The job's own outcome is not a stream problem; only these justify another transport. */
function isStreamProblem(error) {
  return error?.kind === "network" || (error?.kind === "http" && isRetryableStatus(error.status));
}

async function discardBody(response) {
  try {
    await response.body?.cancel();
  } catch {
    // The body is unwanted; failing to discard it changes nothing.
  }
}

// ---------------------------------------------------------------------------------------------
// The WHATWG event-stream interpretation
// ---------------------------------------------------------------------------------------------

/**
 * Turns decoded text into events. Text arrives in arbitrary pieces, so a line may span pieces
 * and a CR ending one piece may pair with an LF starting the next.
 */
class EventStreamParser {
  #line = "";
  #afterCR = false;
  #data = "";
  #type = "";
  #idBuffer;
  #retryToReport;

  /** @param {string} lastEventId the id a resumed connection starts from */
  constructor(lastEventId = "") {
    this.#idBuffer = lastEventId;
    // Updated only at a blank line, as the spec's "last event ID string" is: an id whose event
    // never completed must not be resumed from, or that event would be skipped.
    this.lastEventId = lastEventId;
    this.reconnectionTime = undefined;
  }

  push(text) {
    const events = [];
    let start = 0;
    if (this.#afterCR && text.length > 0) {
      if (text.charCodeAt(0) === 10) start = 1;
      this.#afterCR = false;
    }
    for (let i = start; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code !== 10 && code !== 13) continue;
      const line = this.#line + text.slice(start, i);
      this.#line = "";
      if (code === 13) {
        if (i + 1 === text.length) this.#afterCR = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
      const event = this.#processLine(line);
      if (event) events.push(event);
    }
    this.#line += text.slice(start);
    return events;
  }

  #processLine(line) {
    if (line === "") return this.#dispatch();
    if (line.charCodeAt(0) === 58) return undefined; // ":" starts a comment
    const colon = line.indexOf(":");
    let field = line;
    let value = "";
    if (colon !== -1) {
      field = line.slice(0, colon);
      value = line.slice(colon + 1);
      if (value.charCodeAt(0) === 32) value = value.slice(1);
    }
    switch (field) {
      case "event":
        this.#type = value;
        break;
      case "data":
        this.#data += value + "\n";
        break;
      case "id":
        if (!value.includes("\u0000")) this.#idBuffer = value;
        break;
      case "retry":
        // At least one digit: an empty value is not a number of milliseconds.
        if (/^[0-9]+$/.test(value)) {
          this.reconnectionTime = Number(value);
          this.#retryToReport = this.reconnectionTime;
        }
        break;
      default:
        break;
    }
    return undefined;
  }

  #dispatch() {
    this.lastEventId = this.#idBuffer;
    if (this.#data === "") {
      this.#type = "";
      return undefined;
    }
    const event = {
      type: this.#type || "message",
      data: this.#data.slice(0, -1),
      id: this.lastEventId,
      retry: this.#retryToReport,
    };
    this.#data = "";
    this.#type = "";
    this.#retryToReport = undefined;
    return event;
  }
}

/**
 * Reads a `text/event-stream` body and yields one object per dispatched event, following the
 * WHATWG interpretation rules (line endings, BOM, comments, fields, id persistence, retry).
 * Leaving the loop early cancels the body.
 *
 * @param {ReadableStream<Uint8Array>} body usually `response.body`
 * @returns {AsyncGenerator<{type: string, data: string, id: string, retry: number | undefined}>}
 *   `retry` is set on the first event after a valid `retry` field, otherwise `undefined`.
 */
export async function* parseEventStream(body) {
  const reader = body.getReader();
  // The default decoder drops one leading BOM, as the spec requires, and keeps a multi-byte
  // character split across chunks until its last byte arrives.
  const decoder = new TextDecoder();
  const parser = new EventStreamParser();
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        finished = true;
        // Whatever is left cannot complete a line, so the unfinished event is discarded.
        yield* parser.push(decoder.decode());
        return;
      }
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

// ---------------------------------------------------------------------------------------------
// One connection, and the reconnecting loop shared by every stream
// ---------------------------------------------------------------------------------------------

/**
 * Counts silence, not time: every chunk (heartbeat comments included) proves the connection is
 * alive. One timer re-armed lazily, rather than reset per chunk, keeps fast streams cheap.
 */
function startWatchdog(timeoutMs, onExpire) {
  const watchdog = { expired: false, touch() {}, stop() {} };
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return watchdog;
  let lastActivity = monotonicNow();
  let timer;
  const check = () => {
    const idle = monotonicNow() - lastActivity;
    if (idle < timeoutMs) {
      timer = setTimeout(check, timeoutMs - idle);
      return;
    }
    watchdog.expired = true;
    onExpire();
  };
  timer = setTimeout(check, timeoutMs);
  watchdog.touch = () => {
    lastActivity = monotonicNow();
  };
  watchdog.stop = () => clearTimeout(timer);
  return watchdog;
}

function isEventStream(response) {
  const type = response.headers.get("Content-Type") ?? "";
  return type.split(";")[0].trim().toLowerCase() === "text/event-stream";
}

async function readProblemType(response) {
  try {
    const problem = JSON.parse(await response.text());
    return typeof problem?.type === "string" ? problem.type : "";
  } catch {
    return "";
  }
}

async function describeRefusal(response) {
  const status = response.status;
  if (status === 204) return { type: "no-content" };
  const problemType = status === 503 ? await readProblemType(response) : "";
  return {
    type: "http",
    status,
    retryAfterMs: parseRetryAfter(response.headers.get("Retry-After")),
    deliveryDisabled: problemType.endsWith("delivery-disabled"),
  };
}

/**
 * Opens the stream once and reads it until the handler settles it, asks to reconnect, or the
 * connection ends. Whatever happens, the request is aborted on the way out so that no socket,
 * reader or timer outlives the attempt.
 */
async function connectOnce(url, config, state, headers) {
  const controller = new AbortController();
  const unlink = linkAbort(config.signal, controller);
  const watchdog = startWatchdog(config.heartbeatTimeoutMs, () => controller.abort());
  let reader;
  let opened = false;
  let progressed = false;
  const dropped = (error, reason) => ({
    type: "dropped",
    error,
    reason: watchdog.expired ? "heartbeat" : reason,
    opened,
    progressed,
  });
  try {
    headers.set("Accept", "text/event-stream");
    if (state.lastEventId) headers.set("Last-Event-ID", state.lastEventId);
    let response;
    try {
      response = await fetch(url, {
        headers,
        credentials: "same-origin",
        cache: "no-store",
        signal: controller.signal,
      });
    } catch (error) {
      return dropped(error, "error");
    }
    if (response.status !== 200) return await describeRefusal(response);
    if (!response.body || !isEventStream(response)) return { type: "unusable", status: 200 };

    opened = true;
    safeCall(config.onOpen);
    const parser = new EventStreamParser(state.lastEventId);
    const decoder = new TextDecoder();
    reader = response.body.getReader();
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (error) {
        return dropped(error, "error");
      }
      if (chunk.done) return dropped(undefined, "closed");
      watchdog.touch();
      const events = parser.push(decoder.decode(chunk.value, { stream: true }));
      if (parser.reconnectionTime !== undefined) state.retryMs = parser.reconnectionTime;
      for (const event of events) {
        if (event.id !== state.lastEventId || config.isProgress?.(event)) progressed = true;
        state.lastEventId = event.id;
        const action = config.handleEvent(event);
        if (action) return { ...action, opened: true, progressed };
      }
      if (parser.lastEventId !== state.lastEventId) {
        progressed = true;
        state.lastEventId = parser.lastEventId;
      }
    }
  } finally {
    watchdog.stop();
    unlink();
    if (reader) reader.cancel().catch(() => {});
    controller.abort();
  }
}

function failureOf(outcome, state) {
  if (outcome.type === "http") {
    return deliveryError("http", `The stream answered HTTP ${outcome.status}.`, {
      status: outcome.status,
      lastEventId: state.lastEventId,
    });
  }
  const why = outcome.reason === "heartbeat" ? "went silent" : "was interrupted";
  return deliveryError("network", `The stream ${why}.`, {
    reason: outcome.reason,
    cause: outcome.error,
    lastEventId: state.lastEventId,
  });
}

/**
 * Keeps one logical stream alive across connections, resuming with Last-Event-ID. `maxRetries`
 * counts reconnections in a row that delivered nothing new, so a long answer that survives
 * several drops is not given up on. Resolves with `{ value }` when the handler settles it, or
 * `{ noContent: true }` on 204; rejects with a kind-tagged error.
 */
async function runStream(url, config) {
  const state = { lastEventId: String(config.lastEventId ?? ""), retryMs: DEFAULT_RETRY_MS };
  const sleep = config.sleep ?? realSleep;
  const random = config.random ?? Math.random;
  const maxRetries = config.maxRetries ?? DEFAULT_MAX_RETRIES;
  let failures = 0;
  let authRetried = false;
  for (;;) {
    throwIfAborted(config.signal);
    let outcome;
    try {
      const headers = await resolveHeaders(config.headers);
      outcome = await connectOnce(url, config, state, headers);
    } catch (error) {
      // A headers callback that cannot produce a token is treated like an unreachable server.
      outcome = { type: "dropped", error, reason: "error" };
    }
    throwIfAborted(config.signal);
    if (outcome.progressed) failures = 0;
    if (outcome.opened || outcome.progressed) authRetried = false;

    let delay;
    switch (outcome.type) {
      case "settle":
        if (outcome.error) throw outcome.error;
        return { value: outcome.value };
      case "reconnect":
        continue;
      case "no-content":
        return { noContent: true, lastEventId: state.lastEventId };
      case "unusable":
        throw deliveryError("network", "The response is not an event stream.", {
          reason: "unusable",
          lastEventId: state.lastEventId,
        });
      case "http":
        if (outcome.deliveryDisabled) {
          throw deliveryError("delivery-disabled", "Streaming is switched off; poll instead.", {
            status: outcome.status,
            lastEventId: state.lastEventId,
          });
        }
        if (outcome.status === 401 && !authRetried) {
          authRetried = true; // the token may have expired between two connections
          continue;
        }
        if (!isRetryableStatus(outcome.status)) throw failureOf(outcome, state);
        delay = outcome.retryAfterMs;
        break;
      default:
        break;
    }
    failures += 1;
    const failure = failureOf(outcome, state);
    if (failures > maxRetries) throw failure;
    delay ??= backoffDelay(state.retryMs, failures, random);
    safeCall(config.onRetry, failure, delay);
    await pause(sleep, delay, config.signal);
  }
}

// ---------------------------------------------------------------------------------------------
// One job: stream, poll, or both
// ---------------------------------------------------------------------------------------------

function jobEventHandler(options) {
  return (event) => {
    safeCall(options.onEvent, event);
    const data = parseData(event.data);
    const lastEventId = event.id;
    switch (event.type) {
      case "status":
        safeCall(options.onStatus, data);
        return undefined;
      case "progress":
        safeCall(options.onProgress, data);
        return undefined;
      case "delta":
        safeCall(options.onDelta, typeof data?.text === "string" ? data.text : "");
        return undefined;
      case "completed":
        return { type: "settle", value: data };
      case "failed":
        return settleWith("failed", data?.error || "The job failed.", lastEventId);
      case "cancelled":
        return settleWith("cancelled", "The job was cancelled.", lastEventId);
      case "timeout":
        return settleWith("timeout", "The stream timed out; the job goes on.", lastEventId);
      case "delivery_disabled":
        return settleWith("delivery-disabled", "Streaming is switched off; poll instead.", lastEventId);
      case "reauthenticate":
        return { type: "reconnect" };
      default:
        return undefined;
    }
  };
}

function settleWith(kind, message, lastEventId) {
  return { type: "settle", error: deliveryError(kind, message, { lastEventId }) };
}

/**
 * Streams one job and settles on its terminal event.
 *
 * Reconnects after a drop (server `retry`, growing back-off, jitter) with Last-Event-ID so no
 * event is lost or repeated; on `reauthenticate` reconnects at once with fresh headers; a 401
 * gets one more try with fresh headers; 429 and 5xx are retried after Retry-After; other 4xx are
 * not retried; 204 means the job already finished, so the result is read from `pollUrl`.
 *
 * @param {string | URL} url the job's stream URL
 * @param {object} [options]
 * @param {HeadersInit | (() => HeadersInit | Promise<HeadersInit>)} [options.headers] called
 *   before every connection when a function, so a reconnect carries a fresh token
 * @param {string} [options.pollUrl] where to read the result after a 204
 * @param {AbortSignal} [options.signal] aborting rejects with kind "aborted" and stops everything
 * @param {string} [options.lastEventId] resume after this event
 * @param {(event: {type: string, data: string, id: string, retry?: number}) => void} [options.onEvent]
 * @param {(status: {status: string, attempt: number}) => void} [options.onStatus]
 * @param {(progress: {stage: string, message: string}) => void} [options.onProgress]
 * @param {(text: string) => void} [options.onDelta]
 * @param {number} [options.heartbeatTimeoutMs=45000] silence longer than this is a drop
 * @param {number} [options.maxRetries=5] reconnections in a row without a new event
 * @param {(ms: number, signal?: AbortSignal) => Promise<void>} [options.sleep] for tests
 * @param {() => number} [options.random] jitter source in [0, 1), for tests
 * @returns {Promise<{answer: string, sessionId: string, nextSuggestions: string[], sources: {title: string, url: string}[], completedAt: string}>}
 *   rejects with an Error whose `kind` is "failed", "cancelled", "timeout" (with `lastEventId`),
 *   "delivery-disabled", "http" (with `status`; also when 5xx/429 outlast `maxRetries`),
 *   "aborted" or "network".
 */
export async function streamJob(url, options = {}) {
  throwIfAborted(options.signal);
  const outcome = await runStream(url, {
    headers: options.headers,
    signal: options.signal,
    lastEventId: options.lastEventId,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
    maxRetries: options.maxRetries,
    sleep: options.sleep,
    random: options.random,
    handleEvent: jobEventHandler(options),
  });
  if (!outcome.noContent) return outcome.value;
  if (!options.pollUrl) {
    throw deliveryError("http", "The job has finished but no pollUrl was given to read it.", {
      status: 204,
      lastEventId: outcome.lastEventId,
    });
  }
  return pollJob(options.pollUrl, pollOptionsFrom(options));
}

/**
 * The default poll schedule. The contract says "every 1 s for the first 10 s, then 2 s, then
 * 5 s, then every 10 s" without the length of the middle steps; read here as 2 s until 30 s,
 * 5 s until 60 s, and 10 s from then on.
 */
function defaultPollSchedule(elapsedMs) {
  if (elapsedMs < 10_000) return 1_000;
  if (elapsedMs < 30_000) return 2_000;
  if (elapsedMs < 60_000) return 5_000;
  return 10_000;
}

function pollOptionsFrom(options) {
  return {
    headers: options.headers,
    signal: options.signal,
    onStatus: options.onStatus,
    schedule: options.schedule,
    sleep: options.sleep,
    now: options.now,
    maxRetries: options.pollMaxRetries,
  };
}

async function pollOnce(url, headersOption, etag, signal) {
  let response;
  try {
    const headers = await resolveHeaders(headersOption);
    headers.set("Accept", "application/json");
    if (etag) headers.set("If-None-Match", etag);
    response = await fetch(url, { headers, credentials: "same-origin", cache: "no-store", signal });
  } catch (error) {
    return { type: "dropped", error };
  }
  if (response.status === 304) return { type: "unchanged" };
  if (response.status === 200) {
    try {
      return { type: "ok", body: await response.json(), etag: response.headers.get("ETag") };
    } catch (error) {
      return { type: "dropped", error };
    }
  }
  await discardBody(response);
  return {
    type: "http",
    status: response.status,
    retryAfterMs: parseRetryAfter(response.headers.get("Retry-After")),
  };
}

/** Returns the settled result, throws the job's own failure, or `undefined` while it runs. */
function settleFromPollBody(body) {
  switch (body?.status) {
    case "COMPLETED":
      return { value: body.result };
    case "FAILED":
      throw deliveryError("failed", body.errorMessage || "The job failed.");
    case "CANCELLED":
      throw deliveryError("cancelled", "The job was cancelled.");
    default:
      return undefined;
  }
}

/**
 * Polls a job's poll URL until the job is terminal, sending If-None-Match with the last ETag.
 * 429 and 5xx wait for Retry-After (at least); a 401 gets one more try with fresh headers.
 *
 * @param {string | URL} url the job's poll URL
 * @param {object} [options]
 * @param {HeadersInit | (() => HeadersInit | Promise<HeadersInit>)} [options.headers]
 * @param {AbortSignal} [options.signal]
 * @param {(status: {status: string, attempt: number}) => void} [options.onStatus] on each change
 *   while the job is PENDING or PROCESSING
 * @param {(elapsedMs: number, attempt: number) => number} [options.schedule] delay before the
 *   next poll; default 1 s until 10 s, 2 s until 30 s, 5 s until 60 s, then 10 s
 * @param {number} [options.maxRetries=10] failed polls in a row before giving up
 * @param {(ms: number, signal?: AbortSignal) => Promise<void>} [options.sleep] for tests
 * @param {() => number} [options.now] clock in ms, for tests
 * @returns {Promise<object>} the poll body's `result` for COMPLETED; rejects like `streamJob`
 */
export async function pollJob(url, options = {}) {
  const { signal } = options;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const schedule = options.schedule ?? defaultPollSchedule;
  const maxFailures = options.maxRetries ?? DEFAULT_POLL_MAX_FAILURES;
  const startedAt = now();
  let etag;
  let lastStatus;
  let attempt = 0;
  let failures = 0;
  let authRetried = false;
  for (;;) {
    throwIfAborted(signal);
    const outcome = await pollOnce(url, options.headers, etag, signal);
    throwIfAborted(signal);
    attempt += 1;
    let atLeastMs = 0;
    if (outcome.type === "ok" || outcome.type === "unchanged") {
      failures = 0;
      authRetried = false;
      if (outcome.type === "ok") {
        if (outcome.etag) etag = outcome.etag;
        const settled = settleFromPollBody(outcome.body);
        if (settled) return settled.value;
        const { status, attempt: jobAttempt } = outcome.body;
        const key = `${status}/${jobAttempt}`;
        if (key !== lastStatus) {
          lastStatus = key;
          safeCall(options.onStatus, { status, attempt: jobAttempt });
        }
      }
    } else if (outcome.type === "http" && outcome.status === 401 && !authRetried) {
      authRetried = true;
      continue;
    } else if (outcome.type === "http" && !isRetryableStatus(outcome.status)) {
      throw deliveryError("http", `Polling answered HTTP ${outcome.status}.`, { status: outcome.status });
    } else {
      failures += 1;
      if (failures > maxFailures) {
        throw outcome.type === "http"
          ? deliveryError("http", `Polling answered HTTP ${outcome.status}.`, { status: outcome.status })
          : deliveryError("network", "Polling could not reach the server.", { cause: outcome.error });
      }
      atLeastMs = outcome.retryAfterMs ?? 0;
    }
    await pause(sleep, Math.max(schedule(now() - startedAt, attempt), atLeastMs), signal);
  }
}

/**
 * Remembers, across tabs and reloads, that this browser cannot hold a stream, so that hybrid
 * clients stop paying for a stream that will fail anyway. Storage may be missing or may throw
 * (private modes, sandboxed frames): the breaker then simply stays closed.
 */
function streamBreaker(now) {
  const storage = (() => {
    try {
      return typeof localStorage !== "undefined" ? localStorage : undefined;
    } catch {
      return undefined;
    }
  })();
  const read = () => {
    try {
      const saved = JSON.parse(storage?.getItem(BREAKER_KEY) ?? "null");
      const failures = Array.isArray(saved?.failures) ? saved.failures.filter(Number.isFinite) : [];
      return { failures, openUntil: Number(saved?.openUntil) || 0 };
    } catch {
      return { failures: [], openUntil: 0 };
    }
  };
  const write = (value) => {
    try {
      storage?.setItem(BREAKER_KEY, JSON.stringify(value));
    } catch {
      // A full or forbidden storage only means the breaker forgets.
    }
  };
  return {
    isOpen: () => read().openUntil > now(),
    recordFailure() {
      const at = now();
      const saved = read();
      const failures = [...saved.failures.filter((t) => at - t < BREAKER_WINDOW_MS), at];
      if (failures.length >= BREAKER_THRESHOLD) write({ failures: [], openUntil: at + BREAKER_OPEN_MS });
      else write({ failures, openUntil: saved.openUntil });
    },
  };
}

function describeFailure(error) {
  const status = error.status ? ` ${error.status}` : "";
  const reason = error.reason ? ` (${error.reason})` : "";
  return `${error.kind}${status}${reason}: ${error.message}`.slice(0, REPORT_DETAIL_MAX);
}

/** Best effort: never rejects, and gives up after a while so the job is not held back. */
async function sendReport(job, mode, kind, error, options) {
  const controller = new AbortController();
  const unlink = linkAbort(options.signal, controller);
  const timer = setTimeout(() => controller.abort(), REPORT_TIMEOUT_MS);
  try {
    const headers = await resolveHeaders(options.headers);
    headers.set("Content-Type", "application/json");
    const response = await fetch(options.reportUrl ?? DEFAULT_REPORT_URL, {
      method: "POST",
      headers,
      body: JSON.stringify({ jobId: job.jobId, mode, kind, detail: describeFailure(error) }),
      credentials: "same-origin",
      signal: controller.signal,
    });
    await discardBody(response);
  } catch {
    // The server learns of failures from its own side too; a lost report is not worth an error.
  } finally {
    clearTimeout(timer);
    unlink();
  }
}

/**
 * Delivers one enqueued job by its delivery mode, falling back to polling so that the answer
 * arrives whatever happens to the stream.
 *
 * - "sse": streams; if the stream is given up on (network, or 5xx/429 outlasting `maxRetries`)
 *   reports `stream_error` once, then polls.
 * - "hybrid": streams with no reconnection; the first stream problem (network, 5xx or 429,
 *   heartbeat silence) reports `fallback` once and polls. After 3 stream failures within 5
 *   minutes (kept in localStorage) hybrid goes straight to polling for 10 minutes.
 * - "polling": polls.
 * In every mode `delivery-disabled` (the kill switch) switches to polling without a report, and
 * a server `timeout` event resumes the stream from its last event id.
 *
 * @param {{jobId: string, sessionId?: string, delivery?: "sse" | "hybrid" | "polling", streamUrl: string, pollUrl: string}} job
 *   the 202 body of an enqueue
 * @param {object} [options] everything `streamJob` and `pollJob` accept, plus:
 * @param {"sse" | "hybrid" | "polling"} [options.mode] overrides `job.delivery`
 * @param {string} [options.reportUrl="/api/delivery/reports"]
 * @param {number} [options.pollMaxRetries] `pollJob`'s `maxRetries`
 * @returns {Promise<object>} the job's result; rejects like `streamJob`
 */
export async function deliverJob(job, options = {}) {
  throwIfAborted(options.signal);
  const mode = options.mode ?? job.delivery ?? "sse";
  const poll = () => pollJob(job.pollUrl, pollOptionsFrom(options));
  if (mode === "polling" || !job.streamUrl) return poll();
  const breaker = streamBreaker(options.now ?? Date.now);
  if (mode === "hybrid" && breaker.isOpen()) return poll();

  let lastEventId = options.lastEventId;
  for (;;) {
    try {
      return await streamJob(job.streamUrl, {
        ...options,
        lastEventId,
        pollUrl: job.pollUrl,
        maxRetries: mode === "hybrid" ? 0 : options.maxRetries,
      });
    } catch (error) {
      if (error.kind === "timeout") {
        lastEventId = error.lastEventId;
        continue;
      }
      // The server switched streaming off and already knows; a report would only add noise.
      if (error.kind === "delivery-disabled") return poll();
      if (!isStreamProblem(error)) throw error;
      // The breaker measures whether this browser can hold a stream, whichever mode saw it fail.
      breaker.recordFailure();
      const kind = mode === "hybrid" ? "fallback" : "stream_error";
      const report = sendReport(job, mode, kind, error, options);
      try {
        return await poll();
      } finally {
        await report;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Long-lived streams: a chat session, any stream of named events, the live feed
// ---------------------------------------------------------------------------------------------

/**
 * Follows a chat session's stream so that a question asked in another tab or device shows up
 * live. Never ends by itself: reconnects (like `streamJob`, without a retry limit) with the last
 * global event id, and stops on `close()` or on an error that reconnecting cannot fix (a 4xx
 * other than 429, a second 401, the kill switch).
 *
 * @param {string | URL} url `/api/assistant/sessions/{id}/stream`
 * @param {object} [options]
 * @param {HeadersInit | (() => HeadersInit | Promise<HeadersInit>)} [options.headers]
 * @param {string} [options.lastEventId] resume after this global id
 * @param {(update: {jobId: string, status: string, attempt: number, hasResult: boolean, hasError: boolean}, meta: {id: string}) => void} [options.onUpdate]
 * @param {(error: Error, meta: {willRetry: boolean}) => void} [options.onError] each failed
 *   connection (`willRetry: true`) and the final one (`willRetry: false`)
 * @param {() => void} [options.onConnected] on each `connected` event
 * @param {AbortSignal} [options.signal] same as calling `close()`
 * @param {number} [options.heartbeatTimeoutMs=45000]
 * @param {(ms: number, signal?: AbortSignal) => Promise<void>} [options.sleep] for tests
 * @param {() => number} [options.random] for tests
 * @returns {{close(): void, closed: Promise<void>, readonly lastEventId: string}} `closed`
 *   settles once nothing is left running
 */
export function openSession(url, options = {}) {
  const controller = new AbortController();
  const unlink = linkAbort(options.signal, controller);
  let lastEventId = String(options.lastEventId ?? "");
  const handleEvent = (event) => {
    lastEventId = event.id;
    safeCall(options.onEvent, event);
    switch (event.type) {
      case "connected":
        safeCall(options.onConnected);
        return undefined;
      case "request_update":
        safeCall(options.onUpdate, parseData(event.data), { id: event.id });
        return undefined;
      case "reauthenticate":
      case "timeout":
        return { type: "reconnect" };
      case "delivery_disabled":
        return settleWith("delivery-disabled", "Streaming is switched off.", event.id);
      default:
        return undefined;
    }
  };
  const closed = runStream(url, {
    headers: options.headers,
    signal: controller.signal,
    lastEventId,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
    maxRetries: Infinity,
    sleep: options.sleep,
    random: options.random,
    handleEvent,
    onRetry: (error) => safeCall(options.onError, error, { willRetry: true }),
  })
    .then(() => {
      // Only a 204 ends a session stream: the server's way of saying "do not reconnect".
      throw deliveryError("http", "The session stream has ended.", { status: 204 });
    })
    .catch((error) => {
      if (!controller.signal.aborted) safeCall(options.onError, error, { willRetry: false });
    })
    .finally(unlink);
  return {
    close: () => controller.abort(),
    closed,
    get lastEventId() {
      return lastEventId;
    },
  };
}

/**
 * Follows a stream of named events that never ends by itself, such as the admin page's
 * `/api/admin/rollout/stream` (`changed`, `stats`). Reconnects like `openSession` (the server's
 * `retry`, growing back-off with jitter, no retry limit, `Last-Event-ID` when the stream has ids),
 * and stops on `close()` or on an error that reconnecting cannot fix (a 4xx other than 429, a
 * second 401, a 204, a response that is not an event stream). Such streams usually carry no ids,
 * so any event proves the connection worked: the back-off starts again from the server's `retry`
 * after a connection that delivered something, however many drops came before.
 *
 * @param {string | URL} url
 * @param {object} [options]
 * @param {(type: string, data: unknown, meta: {id: string}) => void} [options.onEvent] every
 *   event, its data parsed as JSON when it is JSON
 * @param {() => void} [options.onOpen] each time a connection is established
 * @param {(error: Error, meta: {willRetry: boolean, delayMs?: number}) => void} [options.onError]
 *   each failed connection (`willRetry: true`, with the delay before the next) and the final one
 * @param {HeadersInit | (() => HeadersInit | Promise<HeadersInit>)} [options.headers]
 * @param {AbortSignal} [options.signal] same as calling `close()`
 * @param {number} [options.heartbeatTimeoutMs=45000]
 * @param {(ms: number, signal?: AbortSignal) => Promise<void>} [options.sleep] for tests
 * @param {() => number} [options.random] for tests
 * @returns {{close(): void, closed: Promise<void>}} `closed` settles once nothing is left running
 */
export function openEventStream(url, options = {}) {
  const controller = new AbortController();
  const unlink = linkAbort(options.signal, controller);
  const closed = runStream(url, {
    headers: options.headers,
    signal: controller.signal,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
    maxRetries: Infinity,
    sleep: options.sleep,
    random: options.random,
    handleEvent: (event) => {
      safeCall(options.onEvent, event.type, parseData(event.data), { id: event.id });
      return undefined;
    },
    isProgress: () => true,
    onOpen: options.onOpen,
    onRetry: (error, delayMs) => safeCall(options.onError, error, { willRetry: true, delayMs }),
  })
    .then(() => {
      // A 204 is the server's way of saying "do not reconnect".
      throw deliveryError("http", "The stream has ended.", { status: 204 });
    })
    .catch((error) => {
      if (!controller.signal.aborted) safeCall(options.onError, error, { willRetry: false });
    })
    .finally(unlink);
  return { close: () => controller.abort(), closed };
}

/** Sub-millisecond digits, which Date.parse drops but the feed's microsecond order needs. */
function subMillisecondDigits(iso) {
  const match = /\.\d{3}(\d*)/.exec(iso ?? "");
  return (match?.[1] ?? "").padEnd(9, "0");
}

/** Negative when `a` is shown before `b`: (sortDate, id) descending, as the server orders. */
function compareFeedOrder(a, b) {
  const dateA = Date.parse(a.sortDate);
  const dateB = Date.parse(b.sortDate);
  if (dateA !== dateB && !Number.isNaN(dateA) && !Number.isNaN(dateB)) return dateB - dateA;
  const fracA = subMillisecondDigits(a.sortDate);
  const fracB = subMillisecondDigits(b.sortDate);
  if (fracA !== fracB) return fracA < fracB ? 1 : -1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? 1 : -1;
}

/** The page being shown: merged by id because groups, reconnects and live items overlap. */
function createFeedPage() {
  const items = new Map();
  let cutoff = null;
  const dropPastCutoff = () => {
    if (!cutoff) return;
    for (const [id, item] of items) if (compareFeedOrder(item, cutoff) > 0) items.delete(id);
  };
  return {
    merge(batch) {
      for (const item of batch ?? []) if (item?.id != null) items.set(item.id, item);
      dropPastCutoff();
    },
    complete(newCutoff) {
      cutoff = newCutoff ?? null;
      dropPastCutoff();
    },
    restart() {
      cutoff = null;
    },
    replace(batch) {
      items.clear();
      cutoff = null;
      this.merge(batch);
    },
    list: () => [...items.values()].sort(compareFeedOrder),
  };
}

function splitUrl(url) {
  const text = String(url);
  const hash = text.indexOf("#");
  const bare = hash === -1 ? text : text.slice(0, hash);
  const query = bare.indexOf("?");
  return query === -1
    ? { path: bare, params: new URLSearchParams() }
    : { path: bare.slice(0, query), params: new URLSearchParams(bare.slice(query + 1)) };
}

/** `/api/feed/stream?cursor=&limit=&live=` → `/api/feed?cursor=&limit=` */
function feedJsonUrl(streamUrl) {
  const { path, params } = splitUrl(streamUrl);
  params.delete("live");
  const query = params.toString();
  return path.replace(/\/stream\/?$/, "") + (query ? `?${query}` : "");
}

/** The server's default: live on the first page (no cursor) unless `live` says otherwise. */
function isLiveFeed(streamUrl) {
  const { params } = splitUrl(streamUrl);
  const live = params.get("live");
  return live === null ? !params.get("cursor") : live.toLowerCase() === "true";
}

async function fetchFeedPage(url, options, signal) {
  const headers = await resolveHeaders(options.headers);
  headers.set("Accept", "application/json");
  const response = await fetch(url, { headers, credentials: "same-origin", cache: "no-store", signal });
  if (!response.ok) {
    await discardBody(response);
    throw deliveryError("http", `The feed answered HTTP ${response.status}.`, { status: response.status });
  }
  return response.json();
}

/** The stream could not be used: show the JSON page, refreshed while the page is live. */
async function followFeedJson(url, options, page, live, signal) {
  const sleep = options.sleep ?? realSleep;
  for (;;) {
    try {
      const body = await fetchFeedPage(url, options, signal);
      page.replace(body?.items);
      const items = page.list();
      const last = items[items.length - 1];
      safeCall(options.onItems, items, { partial: false, live: false });
      safeCall(options.onComplete, {
        nextCursor: body?.nextCursor ?? null,
        totalItems: items.length,
        cutoff: last ? { sortDate: last.sortDate, id: last.id } : null,
      });
    } catch (error) {
      throwIfAborted(signal);
      const failure = error.kind ? error : deliveryError("network", "The feed could not be fetched.", { cause: error });
      safeCall(options.onError, failure, { willRetry: live });
    }
    if (!live) return;
    await pause(sleep, options.refreshMs ?? FEED_REFRESH_MS, signal);
  }
}

/**
 * Opens the live feed stream (`GET /api/feed/stream`). Items are merged by id and sorted
 * newest first; `feed_complete` drops everything ordered after its `cutoff`, so the page shown
 * equals the JSON page. A reconnect asks for the page again. When the stream cannot be used
 * (refused, switched off, or failing `maxRetries` times in a row) the JSON endpoint is shown
 * instead, re-fetched every 30 s while the page is live.
 *
 * @param {string | URL} url e.g. `/api/feed/stream?limit=20`
 * @param {object} [options]
 * @param {(items: object[], meta: {partial: boolean, live: boolean}) => void} [options.onItems]
 *   the whole merged page, newest first, after every change
 * @param {(page: {nextCursor: string | null, totalItems: number, cutoff: {sortDate: string, id: string} | null}) => void} [options.onComplete]
 * @param {(error: Error, meta: {willRetry: boolean}) => void} [options.onError] failed
 *   connections, `feed_error` groups (kind "feed-group", with `group`) and JSON failures
 * @param {(error: Error) => void} [options.onFallback] when switching to the JSON endpoint
 * @param {HeadersInit | (() => HeadersInit | Promise<HeadersInit>)} [options.headers]
 * @param {string} [options.jsonUrl] defaults to `url` without `/stream` and `live`
 * @param {number} [options.refreshMs=30000] JSON re-fetch period
 * @param {number} [options.maxRetries=5] failed reconnections in a row before falling back
 * @param {number} [options.heartbeatTimeoutMs=45000]
 * @param {AbortSignal} [options.signal] same as calling `close()`
 * @param {(ms: number, signal?: AbortSignal) => Promise<void>} [options.sleep] for tests
 * @param {() => number} [options.random] for tests
 * @returns {{close(): void, closed: Promise<void>}} `closed` settles once nothing is left running
 */
export function openFeed(url, options = {}) {
  const controller = new AbortController();
  const { signal } = controller;
  const unlink = linkAbort(options.signal, controller);
  const page = createFeedPage();
  const live = isLiveFeed(url);
  const handleEvent = (event) => {
    safeCall(options.onEvent, event);
    const data = parseData(event.data);
    switch (event.type) {
      case "feed_items":
        page.merge(data?.items);
        safeCall(options.onItems, page.list(), { partial: data?.partial === true, live: data?.live === true });
        return undefined;
      case "feed_complete":
        page.complete(data?.cutoff);
        safeCall(options.onItems, page.list(), { partial: false, live: false });
        safeCall(options.onComplete, data);
        // A page that is not live is whole now; the server's close must not cause a reconnect.
        return live ? undefined : { type: "settle", value: undefined };
      case "feed_error": {
        const detail = data?.error ?? "unavailable";
        const error = deliveryError("feed-group", `Feed group ${data?.group} failed: ${detail}`, {
          group: data?.group,
          detail,
        });
        safeCall(options.onError, error, { willRetry: false });
        return undefined;
      }
      case "reauthenticate":
      case "timeout":
        return { type: "reconnect" };
      case "delivery_disabled":
        return settleWith("delivery-disabled", "Streaming is switched off.", event.id);
      default:
        return undefined;
    }
  };
  const follow = async () => {
    try {
      const outcome = await runStream(url, {
        headers: options.headers,
        signal,
        heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
        maxRetries: options.maxRetries,
        sleep: options.sleep,
        random: options.random,
        handleEvent,
        onOpen: () => page.restart(),
        // Feed events carry no id, so a delivered page is what proves the stream works.
        isProgress: (event) => event.type === "feed_complete",
        onRetry: (error) => safeCall(options.onError, error, { willRetry: true }),
      });
      if (!outcome.noContent) return;
      safeCall(options.onFallback, deliveryError("http", "The feed stream answered 204.", { status: 204 }));
    } catch (error) {
      throwIfAborted(signal);
      safeCall(options.onFallback, error);
    }
    await followFeedJson(options.jsonUrl ?? feedJsonUrl(url), options, page, live, signal);
  };
  const closed = follow()
    .catch((error) => {
      if (!signal.aborted) safeCall(options.onError, error, { willRetry: false });
    })
    .finally(unlink);
  return { close: () => controller.abort(), closed };
}
