// delivery-errors.js: how every delivery function fails, so callers can tell a job's own outcome
// ("failed", "cancelled") from a transport problem ("network", "http") by `error.kind`.

export function deliveryError(kind, message, extra = {}) {
  const error = new Error(message);
  error.kind = kind;
  return Object.assign(error, extra);
}

export function abortedError() {
  return deliveryError("aborted", "The operation was aborted.");
}

export function throwIfAborted(signal) {
  if (signal?.aborted) throw abortedError();
}

/** A bug in a page's callback must not cost the user their answer. */
export function safeCall(callback, ...args) {
  if (typeof callback !== "function") return;
  try {
    callback(...args);
  } catch (error) {
    if (typeof reportError === "function") reportError(error);
    else console.error(error);
  }
}

export function isRetryableStatus(status) {
  return status === 429 || status >= 500;
}

/** The job's own outcome is not a stream problem; only these justify another transport. */
export function isStreamProblem(error) {
  return error?.kind === "network" || (error?.kind === "http" && isRetryableStatus(error.status));
}

export function settleWith(kind, message, lastEventId) {
  return { type: "settle", error: deliveryError(kind, message, { lastEventId }) };
}
