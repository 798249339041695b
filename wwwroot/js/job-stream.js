// job-stream.js: one job's stream, settled by its terminal event.

import { runStream, DEFAULT_HEARTBEAT_TIMEOUT_MS } from "./reconnecting-stream.js";
import { deliveryError, safeCall, settleWith, throwIfAborted } from "./delivery-errors.js";
import { parseData } from "./fetch-parts.js";
import { pollJob, pollOptionsFrom } from "./job-poll.js";

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
