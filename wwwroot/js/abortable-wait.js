// abortable-wait.js: timers and clocks that an AbortSignal cancels at once, so a closed stream
// leaves nothing scheduled behind it.

import { abortedError, throwIfAborted } from "./delivery-errors.js";

/** Makes `controller` follow `signal`; returns the function that undoes the link. */
export function linkAbort(signal, controller) {
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
export function realSleep(ms, signal) {
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
export async function pause(sleep, ms, signal) {
  await sleep(ms, signal);
  throwIfAborted(signal);
}

export const monotonicNow =
  typeof performance !== "undefined" && typeof performance.now === "function"
    ? () => performance.now()
    : () => Date.now();

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value) {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
