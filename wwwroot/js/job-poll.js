// job-poll.js: polling a job until it is terminal, the transport of last resort.

import { deliveryError, isRetryableStatus, safeCall, throwIfAborted } from "./delivery-errors.js";
import { parseRetryAfter, pause, realSleep } from "./abortable-wait.js";
import { discardBody, resolveHeaders } from "./fetch-parts.js";

/** Polling is the last resort, so it tolerates a longer outage than a stream before giving up. */
const DEFAULT_POLL_MAX_FAILURES = 10;

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

export function pollOptionsFrom(options) {
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
