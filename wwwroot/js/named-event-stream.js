// named-event-stream.js: any stream of named events that never ends by itself, such as the admin
// page's `/api/admin/rollout/stream` (`changed`, `stats`).
import { followUntilClosed } from "./reconnecting-stream.js";
import { safeCall } from "./delivery-errors.js";
import { parseData } from "./fetch-parts.js";

/**
 * Reconnects like `openSession` (the server's `retry`, growing back-off with jitter, no retry
 * limit, `Last-Event-ID` when the stream has ids), and stops on `close()` or on an error that
 * reconnecting cannot fix (a 4xx other than 429, a second 401, a 204, a response that is not an
 * event stream). Such streams usually carry no ids, so any event proves the connection worked:
 * the back-off starts again from the server's `retry` after a connection that delivered
 * something, however many drops came before.
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
  return followUntilClosed(url, options, {
    handleEvent: (event) => {
      safeCall(options.onEvent, event.type, parseData(event.data), { id: event.id });
      return undefined;
    },
    isProgress: () => true,
    endedMessage: "The stream has ended.",
  });
}
