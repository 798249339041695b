import { test } from "node:test";
import assert from "node:assert/strict";
import { openSession } from "../../wwwroot/js/session-stream.js";
import { startServer, openSse, sendJson, signal, recordingSleep } from "./support-server.mjs";

const SESSION = "/api/assistant/sessions/6a1c8f0e-2b3d-4e5f-8a9b-0c1d2e3f4a5b/stream";

async function serve(t, handler) {
  const server = await startServer(handler);
  t.after(() => server.close());
  return server;
}

const update = (jobId, status) => ({ jobId, status, attempt: 1, hasResult: status === "COMPLETED", hasError: false });

test("Receives request_update, reconnects with the last global id, and close() stops it", async (t) => {
  const server = await serve(t, (req, res, info) => {
    const sse = openSse(res);
    sse.send("connected", {});
    if (info.index === 0) {
      sse.send("request_update", update("a", "PROCESSING"), 10);
      sse.send("request_update", update("a", "COMPLETED"), 11);
      return sse.drop();
    }
    sse.send("request_update", update("b", "PENDING"), 12); // then stays open
  });
  const three = signal();
  const updates = [];
  const session = openSession(server.url(SESSION), {
    headers: { Authorization: "Bearer learner" },
    onUpdate: (u, meta) => {
      updates.push([u.jobId, u.status, meta.id]);
      if (updates.length === 3) three.resolve();
    },
  });
  await three.promise;
  assert.deepEqual(updates, [
    ["a", "PROCESSING", "10"],
    ["a", "COMPLETED", "11"],
    ["b", "PENDING", "12"],
  ]);
  assert.equal(server.requests[1].headers["last-event-id"], "11");
  assert.equal(server.requests[1].headers.authorization, "Bearer learner");
  assert.equal(session.lastEventId, "12");

  session.close();
  await session.closed;
  await server.requests[1].closed;
  assert.equal(server.requests.length, 2);
});

test("Starts from the given lastEventId", async (t) => {
  const server = await serve(t, (req, res) => openSse(res).send("connected", {}));
  const connected = signal();
  const session = openSession(server.url(SESSION), { lastEventId: "41", onConnected: connected.resolve });
  await connected.promise;
  assert.equal(server.requests[0].headers["last-event-id"], "41");
  assert.equal(session.lastEventId, "41", "the id-less connected event does not reset it");
  session.close();
  await session.closed;
});

test("Failed connections are reported and retried; it never ends by itself", async (t) => {
  const server = await serve(t, (req, res, info) => {
    if (info.index < 3) return sendJson(res, 503, {});
    openSse(res).send("request_update", update("c", "PENDING"), 3);
  });
  const received = signal();
  const errors = [];
  const { delays, sleep } = recordingSleep();
  const session = openSession(server.url(SESSION), {
    sleep,
    random: () => 0,
    onError: (error, meta) => errors.push([error.kind, error.status, meta.willRetry]),
    onUpdate: received.resolve,
  });
  await received.promise;
  assert.deepEqual(errors, Array(3).fill(["http", 503, true]));
  assert.deepEqual(delays, [3000, 6000, 12000]);
  session.close();
  await session.closed;
});

test("reauthenticate reconnects at once with fresh headers", async (t) => {
  const server = await serve(t, (req, res, info) => {
    const sse = openSse(res, { retry: 60_000 });
    if (info.index === 0) {
      sse.send("request_update", update("d", "PENDING"), 7);
      sse.send("reauthenticate", {});
      return sse.end();
    }
    sse.send("request_update", update("d", "PROCESSING"), 8);
  });
  let n = 0;
  const second = signal();
  const session = openSession(server.url(SESSION), {
    headers: async () => ({ Authorization: `Bearer t${++n}` }),
    onUpdate: (u) => u.status === "PROCESSING" && second.resolve(),
  });
  await second.promise;
  assert.deepEqual(
    server.requests.map((r) => [r.headers.authorization, r.headers["last-event-id"]]),
    [
      ["Bearer t1", undefined],
      ["Bearer t2", "7"],
    ],
  );
  session.close();
  await session.closed;
});

test("A 404 stops it and is reported as final", async (t) => {
  const server = await serve(t, (req, res) => sendJson(res, 404, { status: 404 }));
  const errors = [];
  const session = openSession(server.url(SESSION), { onError: (e, meta) => errors.push([e.kind, e.status, meta.willRetry]) });
  await session.closed;
  assert.deepEqual(errors, [["http", 404, false]]);
  assert.equal(server.requests.length, 1);
});

test("close() during a back-off wait ends it at once and reports nothing", async (t) => {
  const server = await serve(t, (req, res) => sendJson(res, 503, {}, { "Retry-After": "3600" }));
  const errors = [];
  const waiting = signal();
  const session = openSession(server.url(SESSION), {
    onError: (e, meta) => {
      errors.push(meta.willRetry);
      waiting.resolve();
    },
  });
  await waiting.promise;
  session.close();
  await session.closed;
  assert.deepEqual(errors, [true]);
  assert.equal(server.requests.length, 1);
});

test("With options.events, follows the session in the shared events stream: only its own updates, without sessionId", async () => {
  let listener;
  let closedShare = false;
  const subscribe = (url, name, l) => {
    assert.deepEqual([url, name], ["/api/events", "blazorjobs-events"]);
    listener = l;
    return { close: () => (closedShare = true) };
  };
  const updates = [];
  const errors = [];
  const session = openSession(SESSION, {
    events: { url: "/api/events", sessionId: "s1", subscribe },
    onUpdate: (u, meta) => updates.push([u, meta.id]),
    onError: (e, meta) => errors.push([e.kind, meta.willRetry]),
  });
  const send = (type, data, id = "") => listener({ event: { type, data: JSON.stringify(data), id } });
  send("connected", { caller: "learner" });
  send("request_update", { sessionId: "s2", jobId: "x", status: "PENDING" }, "7");
  send("request_update", { sessionId: "s1", jobId: "a", status: "COMPLETED" }, "8");
  send("feed_items", { items: [], live: true }, "8");
  listener({ error: { kind: "http", status: 503, message: "503" }, willRetry: true });

  assert.deepEqual(updates, [[{ jobId: "a", status: "COMPLETED" }, "8"]]);
  assert.equal(session.lastEventId, "8");
  assert.deepEqual(errors, [["http", true]]);
  session.close();
  await session.closed;
  assert.equal(closedShare, true);
});
