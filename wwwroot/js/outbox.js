// outbox.js: ordered, batched, resilient callbacks from the browser into .NET.
//
// A chat's callbacks go through an outbox that sends at most one call per ~50 ms and never more
// than one at a time, so a fast answer does not flood an Interactive Server circuit, and that keeps
// what it could not send while a circuit reconnects.

/** A circuit that is reconnecting gets about three minutes before an update is given up on. */
const CALLBACK_MAX_FAILURES = 40;
const CALLBACK_MAX_BACKOFF_MS = 5_000;

const UPDATE_FIELDS = ["status", "attempt", "stage", "message", "mode", "transport"];

/** Folds a later job update into an earlier one: text appends unless the later one starts afresh. */
function mergeUpdate(into, patch) {
  if (patch.reset) {
    into.reset = true;
    into.text = patch.text ?? "";
  } else if (patch.text) {
    into.text = (into.text ?? "") + patch.text;
  }
  for (const field of UPDATE_FIELDS) {
    if (patch[field] !== undefined) into[field] = patch[field];
  }
  return into;
}

export class Outbox {
  #target;
  #intervalMs;
  #queue = [];
  #timer;
  #sending = false;
  #lastSentAt = -Infinity;
  #failures = 0;
  #closed = false;

  constructor(target, intervalMs) {
    this.#target = target;
    this.#intervalMs = intervalMs;
  }

  /** A job's status, stage, text or transport changed. */
  update(jobId, patch) {
    const last = this.#queue[this.#queue.length - 1];
    if (last?.kind === "update" && last.jobId === jobId && !last.inFlight) mergeUpdate(last.update, patch);
    else this.#queue.push({ kind: "update", jobId, update: mergeUpdate({ jobId, reset: false }, patch) });
    this.#schedule();
  }

  /** Any other callback, delivered after everything queued before it. */
  call(method, ...args) {
    this.#queue.push({ kind: "call", method, args });
    this.#schedule();
  }

  close() {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#queue.length = 0;
  }

  #schedule(delayMs) {
    if (this.#closed || this.#sending || this.#timer !== undefined || this.#queue.length === 0) return;
    const wait = delayMs ?? Math.max(0, this.#lastSentAt + this.#intervalMs - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, wait);
  }

  async #flush() {
    this.#coalesceHead();
    const item = this.#queue[0];
    if (!item) return;
    item.inFlight = true;
    this.#sending = true;
    let retryIn;
    try {
      if (item.kind === "update") await this.#target.invokeMethodAsync("OnJobUpdate", item.update);
      else await this.#target.invokeMethodAsync(item.method, ...item.args);
      this.#queue.shift();
      this.#failures = 0;
    } catch (error) {
      if (this.#closed) return;
      // A reconnecting circuit refuses calls for a while: keep the item and try again later, so
      // no text is lost; a callback that keeps failing is dropped rather than retried forever.
      item.inFlight = false;
      this.#failures += 1;
      if (this.#failures >= CALLBACK_MAX_FAILURES) {
        console.error("chat-interop: a callback failed too often and was dropped", error);
        this.#queue.shift();
        this.#failures = 0;
      } else {
        retryIn = Math.min(CALLBACK_MAX_BACKOFF_MS, 250 * 2 ** (this.#failures - 1));
      }
    } finally {
      this.#sending = false;
      this.#lastSentAt = performance.now();
    }
    this.#schedule(retryIn);
  }

  /** Updates of the same job queued behind a failed one are folded into it before the next try. */
  #coalesceHead() {
    const head = this.#queue[0];
    if (head?.kind !== "update") return;
    while (this.#queue[1]?.kind === "update" && this.#queue[1].jobId === head.jobId) {
      mergeUpdate(head.update, this.#queue[1].update);
      this.#queue.splice(1, 1);
    }
  }
}
