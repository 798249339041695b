// chat-interop.js: the glue between the chat components (.NET, running in WebAssembly or in an
// Interactive Server circuit) and sse-client.js.
//
// Every request of the HTTP contract is made here, in the browser, so both chatbots behave the
// same in every render mode (architecture.md, "Rule of the house"): .NET asks for a question to be
// enqueued, cancelled or retried, and is told what the delivery brings through a
// DotNetObjectReference. Those callbacks go through an outbox that sends at most one call per
// ~50 ms and never more than one at a time, so a fast answer does not flood a circuit, and that
// keeps what it could not send while a circuit reconnects.
//
// The course tutor's requests carry a bearer token obtained from POST /api/auth/token with the
// page's antiforgery token; it travels only in the Authorization header, never in a URL.
import { deliverJob, openSession } from "./sse-client.js";

const FLUSH_INTERVAL_MS = 50;
/** A circuit that is reconnecting gets about three minutes before an update is given up on. */
const CALLBACK_MAX_FAILURES = 40;
const CALLBACK_MAX_BACKOFF_MS = 5_000;
/** Renew a bearer token this long before it expires, so a request never leaves with a dying one. */
const TOKEN_RENEW_MARGIN_MS = 60_000;
/** Within this distance of the end, a message list keeps following new text. */
const SCROLL_STICK_PX = 48;

/**
 * @param {{basePath: string, useBearer?: boolean, antiforgeryToken?: string, tokenUrl?: string, deliveryUrl?: string, flushIntervalMs?: number}} options
 * @param {{invokeMethodAsync(name: string, ...args: unknown[]): Promise<unknown>}} callbacks a DotNetObjectReference
 */
export function createChat(options, callbacks) {
  return new ChatClient(options, callbacks);
}

// ---------------------------------------------------------------------------------------------
// The outbox: ordered, batched, resilient callbacks into .NET
// ---------------------------------------------------------------------------------------------

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

class Outbox {
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

// ---------------------------------------------------------------------------------------------
// The tutor's bearer token
// ---------------------------------------------------------------------------------------------

class BearerToken {
  #url;
  #antiforgeryToken;
  #value;
  #expiresAt = 0;
  #pending;

  constructor(url, antiforgeryToken) {
    this.#url = url;
    this.#antiforgeryToken = antiforgeryToken ?? "";
  }

  /** After `reauthenticate` or a 401: the next request fetches a fresh token. */
  invalidate() {
    this.#value = undefined;
    this.#expiresAt = 0;
  }

  async get() {
    if (this.#value && Date.now() < this.#expiresAt - TOKEN_RENEW_MARGIN_MS) return this.#value;
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #fetch() {
    // The cookie says who the learner is; the antiforgery token proves this page asked.
    const response = await fetch(this.#url, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json", RequestVerificationToken: this.#antiforgeryToken },
    });
    if (!response.ok) {
      const error = new Error(`The sign-in token could not be renewed (HTTP ${response.status}).`);
      error.kind = "auth";
      error.status = response.status;
      throw error;
    }
    const body = await response.json();
    this.#value = body.accessToken;
    this.#expiresAt = Date.now() + Number(body.expiresIn ?? 0) * 1000;
    return this.#value;
  }
}

// ---------------------------------------------------------------------------------------------
// One chat: requests, deliveries, the session stream
// ---------------------------------------------------------------------------------------------

function isOnline() {
  return typeof navigator === "undefined" || navigator.onLine !== false;
}

async function readJson(response) {
  try {
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

class ChatClient {
  #basePath;
  #deliveryUrl;
  #token;
  #outbox;
  /** jobId → the running delivery. */
  #runs = new Map();
  /** jobId → last event id seen, so a retry resumes after the old attempt's events instead of replaying them. */
  #lastEventIds = new Map();
  /** jobs enqueued here whose delivery has not started yet. */
  #starting = new Set();
  /** jobId → the terminal status this page already shows. */
  #settled = new Map();
  #enqueuesInFlight = 0;
  #deferredUpdates = [];
  #session;
  #cleanups = [];
  #disposed = false;

  constructor(options, callbacks) {
    this.#basePath = options.basePath.replace(/\/$/, "");
    this.#deliveryUrl = options.deliveryUrl ?? "/api/delivery";
    if (options.useBearer) this.#token = new BearerToken(options.tokenUrl ?? "/api/auth/token", options.antiforgeryToken);
    this.#outbox = new Outbox(callbacks, options.flushIntervalMs ?? FLUSH_INTERVAL_MS);
    this.headers = this.headers.bind(this);

    if (typeof window !== "undefined") {
      const report = () => this.#outbox.call("OnConnectivity", isOnline());
      window.addEventListener("online", report);
      window.addEventListener("offline", report);
      this.#cleanups.push(() => {
        window.removeEventListener("online", report);
        window.removeEventListener("offline", report);
      });
    }
  }

  /** The module's `headers` option: a fresh bearer token for the tutor, nothing for the guide. */
  async headers() {
    return this.#token ? { Authorization: `Bearer ${await this.#token.get()}` } : {};
  }

  isOnline() {
    return isOnline();
  }

  /** POST …/query. The Idempotency-Key makes "send again" after a lost response safe. */
  async enqueue(request) {
    this.#enqueuesInFlight += 1;
    try {
      const body = { question: request.question };
      for (const key of ["sessionId", "courseId", "lessonId"]) if (request[key]) body[key] = request[key];
      const outcome = await this.#request("POST", "/query", body, { "Idempotency-Key": request.idempotencyKey });
      if (outcome.ok) this.#starting.add(outcome.data.jobId);
      return outcome;
    } finally {
      this.#enqueuesInFlight -= 1;
      if (this.#enqueuesInFlight === 0) this.#releaseDeferredUpdates();
    }
  }

  /** POST …/job/{id}/cancel: the user's Stop. The delivery then ends with `cancelled`. */
  cancel(jobId) {
    return this.#request("POST", `/job/${encodeURIComponent(jobId)}/cancel`);
  }

  /**
   * POST …/job/{id}/retry. The job keeps its id and its stored events; its stream skips the
   * terminal event the retry superseded, so it can be read from the start. When this page followed
   * the job, it resumes after the last event it saw rather than replaying the old attempt.
   */
  async retry(jobId) {
    const outcome = await this.#request("POST", `/job/${encodeURIComponent(jobId)}/retry`);
    if (!outcome.ok) return outcome;
    this.#starting.add(jobId);
    return { ...outcome, lastEventId: this.#lastEventIds.get(jobId) ?? null };
  }

  listSessions(courseId) {
    const query = courseId ? `?courseId=${encodeURIComponent(courseId)}` : "";
    return this.#request("GET", `/sessions${query}`);
  }

  async history(sessionId) {
    const outcome = await this.#request("GET", `/sessions/${encodeURIComponent(sessionId)}`);
    if (outcome.ok) {
      for (const message of outcome.data?.messages ?? []) {
        if (["COMPLETED", "FAILED", "CANCELLED"].includes(message.status)) this.#settled.set(message.jobId, message.status);
      }
    }
    return outcome;
  }

  /**
   * Starts (or resumes) the delivery of a job: `job` is an enqueue/retry 202 body or a history's
   * `pendingJob`; `lastEventId` resumes after that event. Progress reaches .NET as `OnJobUpdate`,
   * the end as `OnJobCompleted` or `OnJobEnded`.
   */
  async deliver(job, lastEventId) {
    if (this.#disposed) return;
    this.stopDelivery(job.jobId);
    const run = {
      controller: new AbortController(),
      lastEventId: lastEventId == null || lastEventId === "" ? undefined : String(lastEventId),
      statusFromStream: false,
      lastStreamEvent: "",
      timedOut: false,
      renewedAuth: false,
    };
    this.#runs.set(job.jobId, run);
    this.#starting.delete(job.jobId);
    this.#settled.delete(job.jobId);
    const mode = job.delivery ?? (await this.#deliveryMode());
    if (run.controller.signal.aborted) return;
    this.#outbox.update(job.jobId, { mode, transport: mode === "polling" ? "polling" : "sse" });
    this.#follow({ ...job, delivery: mode }, run);
  }

  /** Stops following a job here without cancelling it (e.g. when switching conversations). */
  stopDelivery(jobId) {
    const run = this.#runs.get(jobId);
    if (!run) return;
    this.#runs.delete(jobId);
    run.controller.abort();
  }

  stopAllDeliveries() {
    for (const jobId of [...this.#runs.keys()]) this.stopDelivery(jobId);
  }

  /** Follows the session's stream so that questions asked in another tab show up here. */
  followSession(sessionId) {
    this.unfollowSession();
    if (this.#disposed || !sessionId) return;
    this.#session = openSession(`${this.#basePath}/sessions/${encodeURIComponent(sessionId)}/stream`, {
      headers: this.headers,
      onEvent: (event) => {
        if (event.type === "reauthenticate") this.#token?.invalidate();
      },
      onUpdate: (update) => this.#onSessionUpdate(update),
    });
  }

  unfollowSession() {
    this.#session?.close();
    this.#session = undefined;
    this.#deferredUpdates.length = 0;
  }

  /** Enter sends, Shift+Enter starts a new line (the textarea is inside `element`, in a form). */
  attachInput(element) {
    const onKeyDown = (event) => {
      if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.target?.tagName !== "TEXTAREA") return;
      event.preventDefault();
      const form = event.target.closest("form");
      if (form?.requestSubmit) form.requestSubmit();
    };
    element.addEventListener("keydown", onKeyDown);
    this.#cleanups.push(() => element.removeEventListener("keydown", onKeyDown));
  }

  /** Keeps a message list scrolled to its end while new text arrives, unless the reader scrolled up. */
  followScroll(element) {
    let stuck = true;
    const onScroll = () => {
      stuck = element.scrollHeight - element.scrollTop - element.clientHeight < SCROLL_STICK_PX;
    };
    const observer = new MutationObserver(() => {
      if (stuck) element.scrollTop = element.scrollHeight;
    });
    element.addEventListener("scroll", onScroll, { passive: true });
    observer.observe(element, { childList: true, subtree: true, characterData: true });
    this.#cleanups.push(() => {
      observer.disconnect();
      element.removeEventListener("scroll", onScroll);
    });
  }

  /** The component went away: stop every request, stream, timer and listener this chat started. */
  dispose() {
    this.#disposed = true;
    this.stopAllDeliveries();
    this.unfollowSession();
    this.#outbox.close();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
  }

  // -- internals ------------------------------------------------------------------------------

  async #follow(job, run) {
    const { jobId } = job;
    const update = (patch) => this.#outbox.update(jobId, patch);
    for (;;) {
      try {
        const result = await deliverJob(job, {
          signal: run.controller.signal,
          lastEventId: run.lastEventId,
          headers: this.headers,
          onEvent: (event) => {
            if (event.id) {
              run.lastEventId = event.id;
              this.#lastEventIds.set(jobId, event.id);
            }
            run.lastStreamEvent = event.type;
            run.statusFromStream = event.type === "status";
            if (event.type === "reauthenticate") this.#token?.invalidate();
            if (event.type === "timeout") {
              // The module would resume by itself; the reader is offered "keep waiting" instead.
              run.timedOut = true;
              run.controller.abort();
            }
          },
          onStatus: ({ status, attempt }) => {
            // Only a streamed status starts the text afresh: the deltas after the last status
            // event are the answer. A poll's status says nothing about text already shown.
            const streamed = run.statusFromStream;
            run.statusFromStream = false;
            const transport = streamed ? "sse" : "polling";
            update(streamed ? { status, attempt, transport, reset: true, text: "" } : { status, attempt, transport });
          },
          onProgress: ({ stage, message }) => update({ stage, message }),
          onDelta: (text) => update({ text }),
        });
        if (!this.#finish(jobId, run, "COMPLETED")) return;
        const transport = run.lastStreamEvent === "completed" ? "sse" : "polling";
        this.#outbox.call("OnJobCompleted", jobId, result, transport);
        return;
      } catch (error) {
        if (run.timedOut) {
          if (this.#finish(jobId, run)) this.#outbox.call("OnJobEnded", jobId, "timeout", error.message, run.lastEventId ?? null, 0);
          return;
        }
        if (run.controller.signal.aborted) return; // stopped here on purpose: nothing to tell
        if (error.kind === "http" && error.status === 401 && this.#token && !run.renewedAuth) {
          // The module tried once more with the same cached token; this time fetch a new one.
          run.renewedAuth = true;
          this.#token.invalidate();
          continue;
        }
        const status = { failed: "FAILED", cancelled: "CANCELLED" }[error.kind];
        if (!this.#finish(jobId, run, status)) return;
        this.#outbox.call("OnJobEnded", jobId, error.kind ?? "network", error.message ?? "", run.lastEventId ?? null, error.status ?? 0);
        return;
      }
    }
  }

  /** @returns false when a newer delivery of the same job (or a stop) replaced this one. */
  #finish(jobId, run, settledStatus) {
    if (this.#runs.get(jobId) !== run) return false;
    this.#runs.delete(jobId);
    if (settledStatus) this.#settled.set(jobId, settledStatus);
    return true;
  }

  #onSessionUpdate(update) {
    if (!update?.jobId) return;
    // Our own question may be announced before its enqueue has answered: decide once it has.
    if (this.#enqueuesInFlight > 0) {
      this.#deferredUpdates.push(update);
      return;
    }
    const { jobId, status } = update;
    if (this.#runs.has(jobId) || this.#starting.has(jobId) || this.#settled.get(jobId) === status) return;
    this.#outbox.call("OnSessionActivity", update);
  }

  #releaseDeferredUpdates() {
    for (const update of this.#deferredUpdates.splice(0)) this.#onSessionUpdate(update);
  }

  async #deliveryMode() {
    const outcome = await this.#request("GET", this.#deliveryUrl, undefined, {}, { absolute: true });
    return outcome.ok && outcome.data?.mode ? outcome.data.mode : "sse";
  }

  /**
   * One JSON request of the contract. Never throws: resolves `{ ok, status, data }` or
   * `{ ok: false, status, title, detail, offline, retryAfter }` (status 0 when the server was not
   * reached). A 401 renews the tutor's token and tries once more.
   */
  async #request(method, path, body, extraHeaders = {}, { absolute = false } = {}) {
    const url = absolute ? path : this.#basePath + path;
    for (let attempt = 0; ; attempt++) {
      let response;
      try {
        const headers = new Headers(await this.headers());
        headers.set("Accept", "application/json");
        for (const [name, value] of Object.entries(extraHeaders)) if (value) headers.set(name, value);
        if (body !== undefined) headers.set("Content-Type", "application/json");
        response = await fetch(url, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          credentials: "same-origin",
          cache: "no-store",
        });
      } catch (error) {
        const status = error?.kind === "auth" ? error.status : 0;
        return { ok: false, status, title: error?.message ?? "The request failed.", detail: null, offline: !isOnline(), retryAfter: null, data: null };
      }
      if (response.status === 401 && this.#token && attempt === 0) {
        await readJson(response);
        this.#token.invalidate();
        continue;
      }
      const data = await readJson(response);
      if (response.ok) return { ok: true, status: response.status, data: data ?? null };
      return {
        ok: false,
        status: response.status,
        title: data?.title ?? `HTTP ${response.status}`,
        detail: data?.detail ?? null,
        offline: false,
        retryAfter: response.headers.get("Retry-After"),
        data: null,
      };
    }
  }
}
