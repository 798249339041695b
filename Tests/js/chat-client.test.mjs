// The chat client that the chat components drive through JS interop: every request of the
// contract, each job's delivery, the session stream, and what .NET is told about them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createChat } from "../../wwwroot/js/chat-interop.js";
import { startServer, openSse, sendJson, replay, signal, RESULT, JOB_EVENTS } from "./support-server.mjs";

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

test("Enqueue posts the question with its Idempotency-Key, tells .NET the job, then delivers it from the 202 body", async (t) => {
  const server = await serve(t, (req, res, info) => {
    if (info.path === `${BASE}/query`) return sendJson(res, 202, job(server));
    const sse = openSse(res);
    replay(sse, req);
    sse.end();
  });
  const callbacks = dotnet();
  const chat = chatOn(t, server, callbacks);

  const outcome = await chat.enqueue({ question: "What is flexbox?", sessionId: null, courseId: "c1", idempotencyKey: "k-1" });
  await callbacks.next("OnJobCompleted");

  assert.equal(outcome.ok, true);
  assert.equal(outcome.status, 202);
  assert.equal(outcome.data.jobId, JOB_ID);
  const [request, stream] = server.requests;
  assert.equal(request.method, "POST");
  assert.equal(request.path, `${BASE}/query`);
  assert.equal(request.headers["idempotency-key"], "k-1");
  assert.deepEqual(JSON.parse(request.body), { question: "What is flexbox?", courseId: "c1" });
  assert.equal(stream.path, `${BASE}/stream/${JOB_ID}`, "the stream URL is the one the 202 body gave");
  const names = callbacks.calls.map(([name]) => name);
  assert.equal(names[0], "OnJobAccepted", ".NET knows the job before any update of it");
  assert.deepEqual(callbacks.named("OnJobAccepted")[0], ["k-1", job(server)]);
});

test("A refused request resolves with the problem's title, detail and Retry-After instead of throwing", async (t) => {
  const server = await serve(t, (req, res) =>
    sendJson(res, 429, { title: "Too many requests", detail: "Wait a moment." }, { "Retry-After": "7" }),
  );
  const callbacks = dotnet();
  const chat = chatOn(t, server, callbacks);

  const outcome = await chat.enqueue({ question: "Q", idempotencyKey: "k" });

  assert.equal(callbacks.calls.length, 0, "nothing was accepted, so nothing is delivered");
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

  chat.deliver(job(server), null);
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

test("The job's stored mode decides its transport: a polling job opens no stream and asks GET /api/delivery nothing", async (t) => {
  const server = await serve(t, (req, res) =>
    sendJson(res, 200, { jobId: JOB_ID, status: "COMPLETED", attempt: 1, result: RESULT }),
  );
  const callbacks = dotnet();
  const chat = chatOn(t, server, callbacks);

  chat.deliver(job(server, JOB_ID, "polling"), null);
  const [, , transport] = await callbacks.next("OnJobCompleted");

  assert.equal(transport, "polling");
  assert.equal(callbacks.named("OnJobUpdate")[0][0].mode, "polling");
  assert.deepEqual(server.requests.map((r) => r.path), [`${BASE}/job/${JOB_ID}`]);
});

test("A stream timeout ends the delivery with kind timeout and the last event id, for keep waiting", async (t) => {
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    replay(sse, req, 4);
    sse.send("timeout", {}, 5);
  });
  const callbacks = dotnet();
  const chat = chatOn(t, server, callbacks);

  chat.deliver(job(server), null);
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

  chat.deliver(job(server), null);
  const [, kind, message] = await callbacks.next("OnJobEnded");

  assert.equal(kind, "failed");
  assert.equal(message, "The tutor is unavailable.");
});

test("A retry delivers the job again from its 202 body, resuming after the event .NET says it saw", async (t) => {
  const server = await serve(t, (req, res, info) => {
    if (info.path.endsWith("/retry")) return sendJson(res, 202, job(server, JOB_ID, "sse"));
    const sse = openSse(res);
    sse.send("status", { status: "PENDING", attempt: 2 }, 8);
    sse.send("completed", RESULT, 9);
    sse.end();
  });
  const callbacks = dotnet();
  const chat = chatOn(t, server, callbacks);

  const outcome = await chat.retry(JOB_ID, "7");
  await callbacks.next("OnJobCompleted");

  assert.equal(outcome.ok, true);
  const stream = server.requests.find((r) => r.path.includes("/stream/"));
  assert.equal(stream.headers["last-event-id"], "7");
});

test("Callbacks refused by a reconnecting circuit are sent again, so no text is lost", async (t) => {
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    replay(sse, req);
    sse.end();
  });
  const callbacks = dotnet({ failFirst: 2 });
  const chat = chatOn(t, server, callbacks);

  chat.deliver(job(server), null);
  await callbacks.next("OnJobCompleted");

  const text = callbacks
    .named("OnJobUpdate")
    .map(([u]) => u)
    .reduce((shown, u) => (u.reset ? u.text ?? "" : shown + (u.text ?? "")), "");
  assert.equal(text, "Hello, world");
});

test("Session updates reach .NET as they come, except during an enqueue: then after OnJobAccepted", async (t) => {
  const sessionPath = `${BASE}/sessions/${SESSION_ID}/stream`;
  const answerEnqueue = signal();
  const server = await serve(t, async (req, res, info) => {
    if (info.path === sessionPath) {
      const sse = openSse(res);
      sse.send("request_update", { jobId: OTHER_JOB, status: "COMPLETED", attempt: 1 }, 100);
      await answerEnqueue.promise;
      sse.send("request_update", { jobId: JOB_ID, status: "PENDING", attempt: 1 }, 101);
      return; // stays open
    }
    if (info.path === `${BASE}/query`) {
      answerEnqueue.resolve();
      await new Promise((resolve) => setTimeout(resolve, 50)); // the session stream speaks first
      return sendJson(res, 202, job(server));
    }
    openSse(res).comment(); // the job's stream: open, nothing yet
  });
  const callbacks = dotnet();
  const chat = chatOn(t, server, callbacks);
  chat.followSession(SESSION_ID);
  await callbacks.next("OnSessionActivity", (a) => a.jobId === OTHER_JOB);

  await chat.enqueue({ question: "Q", sessionId: SESSION_ID, idempotencyKey: "k-2" });
  await callbacks.next("OnSessionActivity", (a) => a.jobId === JOB_ID);

  const order = callbacks.calls.map(([name, arg]) => (name === "OnSessionActivity" ? `activity:${arg.jobId}` : name));
  assert.ok(order.indexOf("OnJobAccepted") < order.indexOf(`activity:${JOB_ID}`), order.join(", "));
});

test("Dispose aborts the running delivery and sends nothing more to .NET", async (t) => {
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    sse.send("status", { status: "PROCESSING", attempt: 1 }, JOB_EVENTS[1].id);
  });
  const callbacks = dotnet();
  const chat = chatOn(t, server, callbacks);
  chat.deliver(job(server), null);
  await server.waitForRequests(1);

  chat.dispose();
  await server.requests[0].closed;

  const sent = callbacks.calls.length;
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(callbacks.calls.length, sent);
  assert.ok(!callbacks.calls.some(([name]) => name === "OnJobEnded"), "a stop on purpose is not an ending");
});
