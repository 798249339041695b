// session-stream.js: a chat session's stream, so that a question asked in another tab or device
// shows up live: its own stream, or (with `options.events`) the caller's events stream that the
// browser's tabs share (shared-stream.js), narrowed to the session.
import { followUntilClosed, untilClosedControl } from "./reconnecting-stream.js";
import { deliveryError, safeCall } from "./delivery-errors.js";
import { parseData } from "./fetch-parts.js";
import { EVENTS_STREAM_NAME, subscribeShared } from "./shared-stream.js";

/**
 * Follows a chat session's stream. Never ends by itself: reconnects (like `streamJob`, without a
 * retry limit) with the last global event id, and stops on `close()` or on an error that
 * reconnecting cannot fix (a 4xx other than 429, a second 401, the kill switch).
 *
 * @param {string | URL} url `/api/assistant/sessions/{id}/stream`
 * @param {object} [options]
 * @param {HeadersInit | (() => HeadersInit | Promise<HeadersInit>)} [options.headers]
 * @param {string} [options.lastEventId] resume after this global id
 * @param {(update: {jobId: string, status: string, attempt: number, hasResult: boolean, hasError: boolean}, meta: {id: string}) => void} [options.onUpdate]
 * @param {(event: {type: string, data: string, id: string}) => void} [options.onEvent] every event, raw
 * @param {(error: Error, meta: {willRetry: boolean, delayMs?: number}) => void} [options.onError]
 *   each failed connection (`willRetry: true`) and the final one (`willRetry: false`)
 * @param {() => void} [options.onConnected] on each `connected` event
 * @param {AbortSignal} [options.signal] same as calling `close()`
 * @param {number} [options.heartbeatTimeoutMs=45000]
 * @param {(ms: number, signal?: AbortSignal) => Promise<void>} [options.sleep] for tests
 * @param {() => number} [options.random] for tests
 * @param {{url: string, sessionId: string, subscribe?: typeof subscribeShared}} [options.events] follow
 *   the session in the caller's shared events stream (`/api/events`) instead of opening `url`
 * @returns {{close(): void, closed: Promise<void>, readonly lastEventId: string}} `closed`
 *   settles once nothing is left running
 */
export function openSession(url, options = {}) {
  if (options.events) return followInEventsStream(options.events, options);
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
      default:
        return untilClosedControl(event);
    }
  };
  const stream = followUntilClosed(url, options, {
    handleEvent,
    lastEventId,
    endedMessage: "The session stream has ended.",
  });
  return {
    ...stream,
    get lastEventId() {
      return lastEventId;
    },
  };
}

/**
 * The session's updates out of the caller's events stream. Reconnecting, resuming and de-duplicating
 * are the shared stream's (one leader tab holds it); this only narrows it to one session.
 */
function followInEventsStream(events, options) {
  let lastEventId = "";
  let settle;
  const closed = new Promise((resolve) => (settle = resolve));
  const subscription = (events.subscribe ?? subscribeShared)(events.url, EVENTS_STREAM_NAME, (message) => {
    if (message.error) {
      const { kind, message: text, ...extra } = message.error;
      safeCall(options.onError, deliveryError(kind ?? "network", text ?? "The events stream failed.", extra), { willRetry: message.willRetry });
      return;
    }
    const { event } = message;
    if (event.type === "connected") {
      safeCall(options.onEvent, event);
      safeCall(options.onConnected);
    } else if (event.type === "request_update") {
      const { sessionId, ...update } = parseData(event.data);
      if (sessionId !== events.sessionId) return;
      lastEventId = event.id;
      safeCall(options.onEvent, event);
      safeCall(options.onUpdate, update, { id: event.id });
    } else if (event.type === "delivery_disabled") {
      safeCall(options.onError, deliveryError("delivery-disabled", "Streaming is switched off."), { willRetry: false });
    }
  });
  const close = () => {
    subscription.close();
    settle();
  };
  options.signal?.addEventListener("abort", close, { once: true });
  return {
    close,
    closed,
    get lastEventId() {
      return lastEventId;
    },
  };
}
