// reconnecting-stream.js: one logical stream kept alive across connections: the server's
// `retry`, growing back-off with jitter, a heartbeat watchdog, and Last-Event-ID on resume.
// Every stream of the module (a job, a chat session, the feed, the admin page) runs on it.

import { EventStreamParser } from "./event-stream-parser.js";
import { deliveryError, isRetryableStatus, safeCall, settleWith, throwIfAborted } from "./delivery-errors.js";
import { linkAbort, monotonicNow, parseRetryAfter, pause, realSleep } from "./abortable-wait.js";
import { resolveHeaders } from "./fetch-parts.js";

/** WHATWG leaves the first reconnection delay to the user agent; browsers use about 3 s. */
const DEFAULT_RETRY_MS = 3_000;
/** Growing back-off stops here, unless the server's own `retry` asks for longer. */
const MAX_BACKOFF_MS = 30_000;
/**
 * The silence limit until a response announces the server's own (`Heartbeat-Timeout-Ms`): three
 * missed heartbeats at the server's default of 15 s. It also bounds a connection attempt.
 */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 45_000;
const DEFAULT_MAX_RETRIES = 5;

/**
 * Never earlier than the server's `retry`, doubling per failure, plus up to 50 % jitter so that
 * the clients of a restarted server do not all come back in the same instant.
 */
function backoffDelay(retryMs, failures, random) {
  const ceiling = Math.max(MAX_BACKOFF_MS, retryMs);
  const grown = Math.min(retryMs * 2 ** Math.max(0, failures - 1), ceiling);
  return Math.round(grown * (1 + random() / 2));
}

/**
 * Counts silence, not time: every chunk (heartbeat comments included) proves the connection is
 * alive. One timer re-armed lazily, rather than reset per chunk, keeps fast streams cheap.
 * `retime` takes the limit the server announces once its response arrives.
 */
function startWatchdog(initialTimeoutMs, onExpire) {
  const watchdog = { expired: false, touch() {}, stop() {}, retime() {} };
  let timeoutMs = initialTimeoutMs;
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
  const arm = () => {
    clearTimeout(timer);
    if (timeoutMs > 0 && Number.isFinite(timeoutMs)) timer = setTimeout(check, timeoutMs);
  };
  arm();
  watchdog.touch = () => {
    lastActivity = monotonicNow();
  };
  watchdog.retime = (ms) => {
    timeoutMs = ms;
    lastActivity = monotonicNow();
    arm();
  };
  watchdog.stop = () => clearTimeout(timer);
  return watchdog;
}

/**
 * The silence limit the server announces on every stream (`Heartbeat-Timeout-Ms`: three of its
 * heartbeat intervals), so the browser's limit follows the server's one setting.
 */
function announcedSilenceLimit(response) {
  const value = Number.parseInt(response.headers.get("Heartbeat-Timeout-Ms") ?? "", 10);
  return Number.isFinite(value) && value > 0 ? value : undefined;
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
  const watchdog = startWatchdog(state.heartbeatTimeoutMs ?? config.heartbeatTimeoutMs, () => controller.abort());
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
    const announced = announcedSilenceLimit(response);
    if (announced !== undefined) {
      state.heartbeatTimeoutMs = announced; // later connections start with it too
      watchdog.retime(announced);
    }
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
 * `reauthenticate` (the credentials must be renewed first, e.g. an expired token) and
 * `timeout` (the server's limit on one connection) both ask for a fresh connection, resumed from the
 * last event id.
 */
export function asksToReconnect(event) {
  return event.type === "reauthenticate" || event.type === "timeout";
}

/**
 * The server's control events, read by a stream that lives until closed (the feed, a chat session):
 * a fresh connection when asked for, and the end on `delivery_disabled` (the kill switch). A job's
 * stream reads `timeout` otherwise (the job goes on, by polling), and so does not use this.
 */
export function untilClosedControl(event) {
  if (asksToReconnect(event)) return { type: "reconnect" };
  if (event.type === "delivery_disabled") return settleWith("delivery-disabled", "Streaming is switched off.", event.id);
  return undefined;
}

/**
 * Keeps one logical stream alive across connections, resuming with Last-Event-ID. `maxRetries`
 * counts reconnections in a row that delivered nothing new, so a long answer that survives
 * several drops is not given up on. Resolves with `{ value }` when the handler settles it, or
 * `{ noContent: true }` on 204; rejects with a kind-tagged error.
 */
export async function runStream(url, config) {
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

/**
 * The part every stream that never ends by itself shares (a chat session, the admin page's
 * stream): no retry limit, `close()` or the caller's signal stops it, every failed connection is
 * reported with `willRetry: true` and the one that ends it with `willRetry: false`.
 *
 * @param {string | URL} url
 * @param {object} options the caller's options: `headers`, `signal`, `heartbeatTimeoutMs`,
 *   `onOpen`, `onError`, `sleep`, `random`
 * @param {{handleEvent: (event: object) => object | undefined, isProgress?: (event: object) => boolean, lastEventId?: string, endedMessage: string}} stream
 * @returns {{close(): void, closed: Promise<void>}} `closed` settles once nothing is left running
 */
export function followUntilClosed(url, options, stream) {
  const controller = new AbortController();
  const unlink = linkAbort(options.signal, controller);
  const closed = runStream(url, {
    headers: options.headers,
    signal: controller.signal,
    lastEventId: stream.lastEventId,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
    maxRetries: Infinity,
    sleep: options.sleep,
    random: options.random,
    handleEvent: stream.handleEvent,
    isProgress: stream.isProgress,
    onOpen: options.onOpen,
    onRetry: (error, delayMs) => safeCall(options.onError, error, { willRetry: true, delayMs }),
  })
    .then(() => {
      // Only a 204 ends such a stream: the server's way of saying "do not reconnect".
      throw deliveryError("http", stream.endedMessage, { status: 204 });
    })
    .catch((error) => {
      if (!controller.signal.aborted) safeCall(options.onError, error, { willRetry: false });
    })
    .finally(unlink);
  return { close: () => controller.abort(), closed };
}
