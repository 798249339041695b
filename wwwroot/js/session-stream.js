// session-stream.js: a chat session's stream, so that a question asked in another tab or device
// shows up live.
import { followUntilClosed } from "./reconnecting-stream.js";
import { safeCall, settleWith } from "./delivery-errors.js";
import { parseData } from "./fetch-parts.js";

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
 * @returns {{close(): void, closed: Promise<void>, readonly lastEventId: string}} `closed`
 *   settles once nothing is left running
 */
export function openSession(url, options = {}) {
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
