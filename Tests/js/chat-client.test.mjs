// The chat client that the chat components drive through JS interop: every request of the
// contract, each job's delivery, the session stream, and what .NET is told about them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createChat } from "../../wwwroot/js/chat-interop.js";
import { startServer, openSse, sendJson, replay, RESULT, JOB_EVENTS } from "./support-server.mjs";

const JOB_ID = "0b1d2c3e-0000-4000-8000-000000000011";
const OTHER_JOB = "0b1d2c3e-0000-4000-8000-000000000012";
const SESSION_ID = RESULT.sessionId;
const BASE = "/api/assistant";

/** A stand-in for the DotNetObjectReference: records calls and lets a test await one. */
function dotnet({ failFirst = 0 } = {}) {
  const calls = [];
  const waiters = [];
  let failures = failFirst;
  return {
    calls,
    invokeMethodAsync(name, ...args) {
      if (failures > 0) {
        failures -= 1;
        return Promise.reject(new Error("The circuit is reconnecting."));
      }
      calls.push([name, ...args]);
      for (const waiter of [...waiters]) waiter();
      return Promise.resolve();
    },
    /** Resolves with the first call named `name` matching `where`, once it has arrived. */
    async next(name, where = () => true) {
      for (;;) {
        const found = calls.find(([n, ...args]) => n === name && where(...args));
        if (found) return found.slice(1);
        await new Promise((resolve) => waiters.push(resolve));
        waiters.length = 0;
      }
    },
    named: (name) => calls.filter(([n]) => n === name).map(([, ...args]) => args),
  };
}

const job = (server, jobId = JOB_ID, delivery = "sse") => ({
  jobId,
  sessionId: SESSION_ID,
  delivery,
  streamUrl: server.url(`${BASE}/stream/${jobId}`),
  pollUrl: server.url(`${BASE}/job/${jobId}`),
});

async function serve(t, handler) {
  const server = await startServer(handler);
  t.after(() => server.close());
  return server;
}

function chatOn(t, server, callbacks, options = {}) {
  const chat = createChat({ basePath: server.url(BASE), flushIntervalMs: 1, ...options }, callbacks);
  t.after(() => chat.dispose());
  return chat;
}

test("Enqueue posts the question with its Idempotency-Key and answers the 202 body", async (t) => {
  const server = await serve(t, (req, res, info) => sendJson(res, 202, job(server)));
  const chat = chatOn(t, server, dotnet());

  const outcome = await chat.enqueue({ question: "What is flexbox?", sessionId: null, courseId: "c1", idempotencyKey: "k-1" });

  assert.equal(outcome.ok, true);
  assert.equal(outcome.status, 202);
  assert.equal(outcome.data.jobId, JOB_ID);
  const [request] = server.requests;
  assert.equal(request.method, "POST");
  assert.equal(request.path, `${BASE}/query`);
  assert.equal(request.headers["idempotency-key"], "k-1");
  assert.deepEqual(JSON.parse(request.body), { question: "What is flexbox?", courseId: "c1" });
});

test("A refused request resolves with the problem's title, detail and Retry-After instead of throwing", async (t) => {
  const server = await serve(t, (req, res) =>
    sendJson(res, 429, { title: "Too many requests", detail: "Wait a moment." }, { "Retry-After": "7" }),
  );
  const chat = chatOn(t, server, dotnet());

  const outcome = await chat.enqueue({ question: "Q", idempotencyKey: "k" });

  assert.deepEqual(
    { ok: outcome.ok, status: outcome.status, title: outcome.title, detail: outcome.detail, retryAfter: outcome.retryAfter },
    { ok: false, status: 429, title: "Too many requests", detail: "Wait a moment.", retryAfter: "7" },
  );
});

test("A server that cannot be reached gives status 0, not an exception", async (t) => {
  const server = await serve(t, (req, res) => sendJson(res, 200, {}));
  const url = server.url(BASE);
  await server.close();
  const chat = createChat({ basePath: url }, dotnet());
  t.after(() => chat.dispose());

  const outcome = await chat.cancel(JOB_ID);

  assert.equal(outcome.ok, false);
  assert.equal(outcome.status, 0);
});

test("The tutor's bearer token is fetched once with the antiforgery token and renewed after a 401", async (t) => {
  let tokens = 0;
  const server = await serve(t, (req, res, info) => {
    if (info.path === "/api/auth/token") {
      tokens += 1;
      return sendJson(res, 200, { accessToken: `token-${tokens}`, expiresIn: 3600 });
    }
    if (info.headers.authorization === "Bearer token-1" && info.path.endsWith("/cancel")) return sendJson(res, 401, {});
    return sendJson(res, 200, { sessions: [] });
  });
  const chat = chatOn(t, server, dotnet(), {
    useBearer: true,
    antiforgeryToken: "af-1",
    tokenUrl: server.url("/api/auth/token"),
  });

  await chat.listSessions();
  await chat.listSessions();
  const cancelled = await chat.cancel(JOB_ID);

  const tokenRequests = server.requests.filter((r) => r.path === "/api/auth/token");
  assert.equal(tokenRequests.length, 2, "one token for the first two requests, a fresh one after the 401");
  assert.equal(tokenRequests[0].headers.requestverificationtoken, "af-1");
  const calls = server.requests.filter((r) => r.path !== "/api/auth/token").map((r) => r.headers.authorization);
  assert.deepEqual(calls, ["Bearer token-1", "Bearer token-1", "Bearer token-1", "Bearer token-2"]);
  assert.equal(cancelled.ok, true);
});

test("A delivered job reaches .NET as batched updates, then OnJobCompleted over sse", async (t) => {
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    replay(sse, req);
    sse.end();
  });
  const callbacks = dotnet();
  const chat = chatOn(t, server, callbacks);

  await chat.deliver(job(server), null);
  const [jobId, result, transport] = await callbacks.next("OnJobCompleted");

  assert.equal(jobId, JOB_ID);
  assert.deepEqual(result, RESULT);
  assert.equal(transport, "sse");
  const updates = callbacks.named("OnJobUpdate").map(([u]) => u);
  assert.equal(updates[0].mode, "sse");
  const text = updates.reduce((shown, u) => (u.reset ? u.text ?? "" : shown + (u.text ?? "")), "");
  assert.equal(text, "Hello, world");
  assert.ok(updates.every((u) => u.jobId === JOB_ID));
});

test("A job without a delivery mode asks GET /api/delivery for one", async (t) => {
  const server = await serve(t, (req, res, info) => {
    if (info.path === "/api/delivery") return sendJson(res, 200, { mode: "polling" });
    return sendJson(res, 200, { jobId: JOB_ID, status: "COMPLETED", attempt: 1, result: RESULT });
  });
  const callbacks = dotnet();
  const chat = chatOn(t, server, callbacks, { deliveryUrl: server.url("/api/delivery") });

  await chat.deliver({ ...job(server), delivery: undefined }, null);
  const [, , transport] = await callbacks.next("OnJobCompleted");

  assert.equal(transport, "polling");
  assert.equal(callbacks.named("OnJobUpdate")[0][0].mode, "polling");
  assert.ok(!server.requests.some((r) => r.path.includes("/stream/")), "a polling job opens no stream");
});

test("A stream timeout ends the delivery with kind timeout and the last event id, for keep waiting", async (t) => {
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    replay(sse, req, 4);
    sse.send("timeout", {}, 5);
  });
  const callbacks = dotnet();
  const chat = chatOn(t, server, callbacks);

  await chat.deliver(job(server), null);
  const [jobId, kind, , lastEventId, status] = await callbacks.next("OnJobEnded");

  assert.deepEqual([jobId, kind, lastEventId, status], [JOB_ID, "timeout", "5", 0]);
});

test("A failed job ends with kind failed and the job's own message", async (t) => {
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    sse.send("status", { status: "PROCESSING", attempt: 1 }, 1);
    sse.send("failed", { error: "The tutor is unavailable." }, 2);
    sse.end();
  });
  const callbacks = dotnet();
  const chat = chatOn(t, server, callbacks);

  await chat.deliver(job(server), null);
  const [, kind, message] = await callbacks.next("OnJobEnded");

  assert.equal(kind, "failed");
  assert.equal(message, "The tutor is unavailable.");
});

test("A retry resumes after the last event this page saw of the job", async (t) => {
  const server = await serve(t, (req, res, info) => {
    if (info.path.endsWith("/retry")) return sendJson(res, 202, job(server));
    const sse = openSse(res);
    replay(sse, req, 6);
    sse.send("failed", { error: "boom" }, 7);
    sse.end();
  });
  const callbacks = dotnet();
  const chat = chatOn(t, server, callbacks);
  await chat.deliver(job(server), null);
  await callbacks.next("OnJobEnded");

  const outcome = await chat.retry(JOB_ID);

  assert.equal(outcome.ok, true);
  assert.equal(outcome.lastEventId, "7");
});

test("Callbacks refused by a reconnecting circuit are sent again, so no text is lost", async (t) => {
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    replay(sse, req);
    sse.end();
  });
  const callbacks = dotnet({ failFirst: 2 });
  const chat = chatOn(t, server, callbacks);

  await chat.deliver(job(server), null);
  await callbacks.next("OnJobCompleted");

  const text = callbacks
    .named("OnJobUpdate")
    .map(([u]) => u)
    .reduce((shown, u) => (u.reset ? u.text ?? "" : shown + (u.text ?? "")), "");
  assert.equal(text, "Hello, world");
});

test("The session stream reports only jobs this page is not already following or showing", async (t) => {
  const sessionPath = `${BASE}/sessions/${SESSION_ID}/stream`;
  const server = await serve(t, (req, res, info) => {
    if (info.path === `${BASE}/sessions/${SESSION_ID}`) {
      return sendJson(res, 200, {
        sessionId: SESSION_ID,
        messages: [{ role: "assistant", text: "Old", jobId: "settled-job", status: "COMPLETED", createdAt: RESULT.completedAt }],
        pendingJob: null,
      });
    }
    if (info.path === sessionPath) {
      const sse = openSse(res);
      sse.send("request_update", { jobId: JOB_ID, status: "PROCESSING", attempt: 1 }, 100);
      sse.send("request_update", { jobId: "settled-job", status: "COMPLETED", attempt: 1 }, 101);
      sse.send("request_update", { jobId: OTHER_JOB, status: "PENDING", attempt: 1 }, 102);
      return; // stays open
    }
    const sse = openSse(res); // the followed job's stream: open, nothing yet
    sse.comment();
  });
  const callbacks = dotnet();
  const chat = chatOn(t, server, callbacks);
  await chat.history(SESSION_ID);
  await chat.deliver(job(server), null);

  chat.followSession(SESSION_ID);
  const [activity] = await callbacks.next("OnSessionActivity");

  assert.equal(activity.jobId, OTHER_JOB);
  assert.equal(callbacks.named("OnSessionActivity").length, 1);
});

test("Dispose aborts the running delivery and sends nothing more to .NET", async (t) => {
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    sse.send("status", { status: "PROCESSING", attempt: 1 }, JOB_EVENTS[1].id);
  });
  const callbacks = dotnet();
  const chat = chatOn(t, server, callbacks);
  await chat.deliver(job(server), null);
  await server.waitForRequests(1);

  chat.dispose();
  await server.requests[0].closed;

  const sent = callbacks.calls.length;
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(callbacks.calls.length, sent);
  assert.ok(!callbacks.calls.some(([name]) => name === "OnJobEnded"), "a stop on purpose is not an ending");
});
