import { test } from "node:test";
import assert from "node:assert/strict";
import { runStream, followUntilClosed } from "../../wwwroot/js/reconnecting-stream.js";
import { startServer, openSse, sendJson, sendProblem, recordingSleep, DELIVERY_DISABLED } from "./support-server.mjs";

const PATH = "/api/some/stream";

async function serve(t, handler) {
  const server = await startServer(handler);
  t.after(() => server.close());
  return server;
}

/** Settles on the first `done` event; every other event is ignored. */
const settleOnDone = (event) => (event.type === "done" ? { type: "settle", value: JSON.parse(event.data) } : undefined);

test("Settles with what the handler returns, sending Accept and the caller's Last-Event-ID", async (t) => {
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    sse.send("done", { ok: true }, 8);
  });
  const outcome = await runStream(server.url(PATH), { lastEventId: "7", handleEvent: settleOnDone });
  assert.deepEqual(outcome, { value: { ok: true } });
  assert.equal(server.requests[0].headers.accept, "text/event-stream");
  assert.equal(server.requests[0].headers["last-event-id"], "7");
});

test("A silent stream is dropped after the limit the server announces, not the caller's default", async (t) => {
  const server = await serve(t, (req, res, info) => {
    // The first connection announces 300 ms and then says nothing; the next one finishes.
    const sse = openSse(res, { headers: { "Heartbeat-Timeout-Ms": "300" } });
    if (info.index > 0) sse.send("done", 1, 1);
  });
  const retries = [];
  const outcome = await runStream(server.url(PATH), {
    heartbeatTimeoutMs: 60_000,
    sleep: async () => {},
    onRetry: (error) => retries.push(error),
    handleEvent: settleOnDone,
  });
  assert.equal(outcome.value, 1);
  // One drop, unless a loaded machine made the next connection slower than the limit too.
  assert.ok(retries.length >= 1);
  assert.ok(retries.every((error) => error.kind === "network" && error.reason === "heartbeat"));
});

test("Without an announced limit the caller's heartbeatTimeoutMs applies", async (t) => {
  const server = await serve(t, (req, res, info) => {
    const sse = openSse(res);
    if (info.index > 0) sse.send("done", 2, 1);
  });
  const retries = [];
  await runStream(server.url(PATH), {
    heartbeatTimeoutMs: 300,
    sleep: async () => {},
    onRetry: (error) => retries.push(error.reason),
    handleEvent: settleOnDone,
  });
  assert.ok(retries.length >= 1);
  assert.ok(retries.every((reason) => reason === "heartbeat"));
});

test("Heartbeat comments keep a quiet stream alive", async (t) => {
  const server = await serve(t, async (req, res) => {
    // 8 heartbeats 150 ms apart: the stream outlives its 600 ms limit only because of them.
    const sse = openSse(res, { headers: { "Heartbeat-Timeout-Ms": "600" } });
    for (let i = 0; i < 8; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      sse.comment();
    }
    sse.send("done", 3, 1);
  });
  const retries = [];
  const outcome = await runStream(server.url(PATH), { onRetry: (e) => retries.push(e), handleEvent: settleOnDone });
  assert.equal(outcome.value, 3);
  assert.equal(retries.length, 0);
});

test("Back-off starts at the server's retry and doubles while nothing new arrives, then gives up", async (t) => {
  const server = await serve(t, (req, res) => {
    openSse(res, { retry: 100 }).drop();
  });
  const { delays, sleep } = recordingSleep();
  await assert.rejects(
    runStream(server.url(PATH), { sleep, random: () => 0, maxRetries: 3, handleEvent: settleOnDone }),
    (error) => error.kind === "network",
  );
  assert.deepEqual(delays, [100, 200, 400]);
  assert.equal(server.requests.length, 4);
});

test("A reconnection resumes from the last id received", async (t) => {
  const server = await serve(t, (req, res, info) => {
    const sse = openSse(res);
    if (info.index === 0) {
      sse.send("tick", "a", 41);
      sse.drop();
    } else {
      sse.send("done", "b", 42);
    }
  });
  const outcome = await runStream(server.url(PATH), { sleep: async () => {}, handleEvent: settleOnDone });
  assert.equal(outcome.value, "b");
  assert.equal(server.requests[1].headers["last-event-id"], "41");
});

test("204 ends the stream without an error; Retry-After paces a 503", async (t) => {
  const server = await serve(t, (req, res, info) => {
    if (info.index === 0) sendJson(res, 503, undefined, { "Retry-After": "2" });
    else sendJson(res, 204);
  });
  const { delays, sleep } = recordingSleep();
  const outcome = await runStream(server.url(PATH), { sleep, handleEvent: settleOnDone });
  assert.equal(outcome.noContent, true);
  assert.deepEqual(delays, [2000]);
});

test("401 is tried once more with fresh headers, then fails as http 401", async (t) => {
  const server = await serve(t, (req, res) => sendJson(res, 401, { title: "no" }));
  let calls = 0;
  await assert.rejects(
    runStream(server.url(PATH), {
      headers: async () => ({ Authorization: `Bearer t${++calls}` }),
      sleep: async () => {},
      handleEvent: settleOnDone,
    }),
    (error) => error.kind === "http" && error.status === 401,
  );
  assert.deepEqual(
    server.requests.map((r) => r.headers.authorization),
    ["Bearer t1", "Bearer t2"],
  );
});

test("The delivery-disabled problem fails at once with its own kind", async (t) => {
  const server = await serve(t, (req, res) => sendProblem(res, 503, DELIVERY_DISABLED));
  await assert.rejects(
    runStream(server.url(PATH), { sleep: async () => {}, handleEvent: settleOnDone }),
    (error) => error.kind === "delivery-disabled",
  );
  assert.equal(server.requests.length, 1);
});

test("A 200 that is not an event stream is a network failure, not a retry loop", async (t) => {
  const server = await serve(t, (req, res) => sendJson(res, 200, { not: "sse" }));
  await assert.rejects(
    runStream(server.url(PATH), { handleEvent: settleOnDone }),
    (error) => error.kind === "network" && error.reason === "unusable",
  );
});

test("followUntilClosed: close() stops it quietly; a 204 is reported as the end", async (t) => {
  const server = await serve(t, (req, res, info) => {
    if (info.index === 0) openSse(res).send("tick", 1, 1);
    else sendJson(res, 204);
  });
  const quiet = followUntilClosed(server.url(PATH), { onError: () => assert.fail("no error on close") }, {
    handleEvent: () => undefined,
    endedMessage: "ended",
  });
  await server.waitForRequests(1);
  quiet.close();
  await quiet.closed;

  const errors = [];
  const ended = followUntilClosed(server.url(PATH), { onError: (e, info) => errors.push({ e, info }) }, {
    handleEvent: () => undefined,
    endedMessage: "The stream ended.",
  });
  await ended.closed;
  assert.equal(errors.length, 1);
  assert.equal(errors[0].e.status, 204);
  assert.equal(errors[0].info.willRetry, false);
});
