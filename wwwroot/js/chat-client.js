// chat-client.js: one chat's requests, job deliveries and session stream, for the chat components.
//
// The components' .NET state decides (which exchange a job belongs to, what is shown, where a
// stream resumes, whether a session update is news); this client carries bytes and reports what
// happened, in order, through the outbox. It keeps only what a transport needs: the running
// deliveries (to stop them) and the bearer token.
import { deliverJob, openSession } from "./sse-client.js";
import { BearerToken } from "./bearer-token.js";
import { followSignOut } from "./sign-out-sync.js";
import { Outbox } from "./outbox.js";
import { isOnline, requestJson } from "./contract-request.js";

const FLUSH_INTERVAL_MS = 50;

export class ChatClient {
  #basePath;
  #eventsUrl;
  #token;
  #outbox;
  /** jobId → the running delivery, so it can be stopped or replaced. */
  #deliveries = new Map();
  #enqueuesInFlight = 0;
  #heldSessionUpdates = [];
  #session;
  #cleanups = [];
  #disposed = false;

  /**
   * @param {{basePath: string, useBearer?: boolean, antiforgeryToken?: string, tokenUrl?: string, flushIntervalMs?: number, eventsUrl?: string}} options
   *   `eventsUrl` (`/api/events`): follow sessions in the caller's events stream, shared by the browser's tabs
   * @param {{invokeMethodAsync(name: string, ...args: unknown[]): Promise<unknown>}} callbacks a DotNetObjectReference
   */
  constructor(options, callbacks) {
    this.#basePath = options.basePath.replace(/\/$/, "");
    this.#eventsUrl = options.eventsUrl;
    if (options.useBearer) this.#token = new BearerToken(options.tokenUrl ?? "/api/auth/token", options.antiforgeryToken);
    if (this.#token && typeof window !== "undefined") {
      const signOut = followSignOut({ stillSignedIn: () => this.#token.stillSignedIn() });
      this.#cleanups.push(() => signOut.dispose());
    }
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

  /** The delivery module's `headers` option: a fresh bearer token for the tutor, nothing for the guide. */
  async headers() {
    return this.#token ? { Authorization: `Bearer ${await this.#token.get()}` } : {};
  }

  isOnline() {
    return isOnline();
  }

  /**
   * POST …/query, and the delivery of the job it creates, started here at once from the 202 body
   * (its URLs and mode are the server's). .NET hears `OnJobAccepted(idempotencyKey, job)` before
   * any update of the job. The Idempotency-Key makes "send again" after a lost response safe.
   */
  async enqueue(request) {
    this.#enqueuesInFlight += 1;
    try {
      const body = { question: request.question };
      for (const key of ["sessionId", "courseId", "lessonId"]) if (request[key]) body[key] = request[key];
      const outcome = await this.#request("POST", "/query", body, { "Idempotency-Key": request.idempotencyKey });
      if (outcome.ok && outcome.data?.jobId) {
        this.#outbox.call("OnJobAccepted", request.idempotencyKey, outcome.data);
        this.deliver(outcome.data, null);
      }
      return outcome;
    } finally {
      this.#enqueuesInFlight -= 1;
      if (this.#enqueuesInFlight === 0) this.#releaseSessionUpdates();
    }
  }

  /** POST …/job/{id}/cancel: the user's Stop. The delivery then ends with `cancelled`. */
  cancel(jobId) {
    return this.#request("POST", `/job/${encodeURIComponent(jobId)}/cancel`);
  }

  /**
   * POST …/job/{id}/retry, and the job's delivery started again from the 202 body (the mode stored
   * with the job). The job keeps its id and its stored events; `lastEventId` (.NET's, from the
   * delivery that ended) skips the old attempt's events instead of replaying them.
   */
  async retry(jobId, lastEventId) {
    const outcome = await this.#request("POST", `/job/${encodeURIComponent(jobId)}/retry`);
    if (outcome.ok && outcome.data?.jobId) this.deliver(outcome.data, lastEventId);
    return outcome;
  }

  listSessions(courseId) {
    const query = courseId ? `?courseId=${encodeURIComponent(courseId)}` : "";
    return this.#request("GET", `/sessions${query}`);
  }

  history(sessionId) {
    return this.#request("GET", `/sessions/${encodeURIComponent(sessionId)}`);
  }

  /**
   * Starts (or resumes) the delivery of a job: `job` is a 202 body or a history's `pendingJob`,
   * whose `delivery` is the job's stored mode; `lastEventId` resumes after that event. Progress
   * reaches .NET as `OnJobUpdate`, the end as `OnJobCompleted` or `OnJobEnded`.
   */
  deliver(job, lastEventId) {
    if (this.#disposed) return;
    this.stopDelivery(job.jobId);
    const mode = job.delivery ?? "sse";
    const run = {
      controller: new AbortController(),
      lastEventId: lastEventId == null || lastEventId === "" ? undefined : String(lastEventId),
      statusFromStream: false,
      lastStreamEvent: "",
      timedOut: false,
      renewedAuth: false,
    };
    this.#deliveries.set(job.jobId, run);
    this.#outbox.update(job.jobId, { mode, transport: mode === "polling" ? "polling" : "sse" });
    this.#follow({ ...job, delivery: mode }, run);
  }

  /** Stops following a job here without cancelling it (e.g. when switching conversations). */
  stopDelivery(jobId) {
    const run = this.#deliveries.get(jobId);
    if (!run) return;
    this.#deliveries.delete(jobId);
    run.controller.abort();
  }

  stopAllDeliveries() {
    for (const jobId of [...this.#deliveries.keys()]) this.stopDelivery(jobId);
  }

  /** Follows the session's stream; every `request_update` reaches .NET, which decides what is news. */
  followSession(sessionId) {
    this.unfollowSession();
    if (this.#disposed || !sessionId) return;
    this.#session = openSession(`${this.#basePath}/sessions/${encodeURIComponent(sessionId)}/stream`, {
      headers: this.headers,
      onEvent: (event) => {
        if (event.type === "reauthenticate") this.#token?.invalidate();
      },
      onUpdate: (update) => this.#onSessionUpdate(update),
      events: this.#eventsUrl ? { url: this.#eventsUrl, sessionId } : undefined,
    });
  }

  unfollowSession() {
    this.#session?.close();
    this.#session = undefined;
    this.#heldSessionUpdates.length = 0;
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
            if (event.id) run.lastEventId = event.id;
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
        if (!this.#finish(jobId, run)) return;
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
        if (!this.#finish(jobId, run)) return;
        this.#outbox.call("OnJobEnded", jobId, error.kind ?? "network", error.message ?? "", run.lastEventId ?? null, error.status ?? 0);
        return;
      }
    }
  }

  /** @returns false when a newer delivery of the same job (or a stop) replaced this one. */
  #finish(jobId, run) {
    if (this.#deliveries.get(jobId) !== run) return false;
    this.#deliveries.delete(jobId);
    return true;
  }

  #onSessionUpdate(update) {
    if (!update?.jobId) return;
    // Our own question may be announced before its enqueue has answered: held until .NET has
    // heard OnJobAccepted, so it can recognise the job as its own.
    if (this.#enqueuesInFlight > 0) {
      this.#heldSessionUpdates.push(update);
      return;
    }
    this.#outbox.call("OnSessionActivity", update);
  }

  #releaseSessionUpdates() {
    for (const update of this.#heldSessionUpdates.splice(0)) this.#onSessionUpdate(update);
  }

  #request(method, path, body, headers = {}) {
    return requestJson(this.#basePath + path, { method, body, headers, authorize: this.headers, token: this.#token });
  }
}
