import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { streamJob } from "../../wwwroot/js/job-stream.js";
import {
  startServer,
  openSse,
  sendJson,
  sendProblem,
  replay,
  signal,
  recordingSleep,
  RESULT,
  DELIVERY_DISABLED,
} from "./support-server.mjs";

const JOB = "/api/assistant/stream/0b1d2c3e-0000-4000-8000-000000000001";
const POLL = "/api/assistant/job/0b1d2c3e-0000-4000-8000-000000000001";

async function serve(t, handler) {
  const server = await startServer(handler);
  t.after(() => server.close());
  return server;
}

function tokens(...values) {
  let calls = 0;
  return async () => ({ Authorization: `Bearer ${values[Math.min(calls++, values.length - 1)]}` });
}

test("Happy path: resolves with the completed data and reports every event", async (t) => {
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    replay(sse, req);
    sse.end();
  });
  const seen = { events: [], statuses: [], progress: [], deltas: [] };
  const result = await streamJob(server.url(JOB), {
    headers: tokens("t1"),
    onEvent: (e) => seen.events.push(e.type),
    onStatus: (s) => seen.statuses.push(s.status),
    onProgress: (p) => seen.progress.push(p.stage),
    onDelta: (text) => seen.deltas.push(text),
  });
  assert.deepEqual(result, RESULT);
  assert.equal(seen.deltas.join(""), RESULT.answer);
  assert.deepEqual(seen.statuses, ["PENDING", "PROCESSING"]);
  assert.deepEqual(seen.progress, ["retrieving"]);
  assert.deepEqual(seen.events, ["status", "status", "progress", "delta", "delta", "delta", "completed"]);
  const [request] = server.requests;
  assert.equal(server.requests.length, 1);
  assert.equal(request.headers.accept, "text/event-stream");
  assert.equal(request.headers.authorization, "Bearer t1");
  assert.equal(request.headers["last-event-id"], undefined);
});

test("A connection dropped mid-stream resumes with Last-Event-ID, losing and repeating nothing", async (t) => {
  const firstDelta = signal();
  const server = await serve(t, async (req, res, info) => {
    const sse = openSse(res);
    if (info.index === 0) {
      replay(sse, req, 4);
      await firstDelta.promise;
      sse.drop();
    } else {
      replay(sse, req);
      sse.end();
    }
  });
  const deltas = [];
  const ids = [];
  const result = await streamJob(server.url(JOB), {
    onEvent: (e) => ids.push(e.id),
    onDelta: (text) => {
      deltas.push(text);
      firstDelta.resolve();
    },
  });
  assert.deepEqual(result, RESULT);
  assert.deepEqual(deltas, ["Hello", ", ", "world"]);
  assert.deepEqual(ids, ["1", "2", "3", "4", "5", "6", "7"]);
  assert.equal(server.requests.length, 2);
  assert.equal(server.requests[1].headers["last-event-id"], "4");
});

test("A clean end before the terminal event also resumes from the last id", async (t) => {
  const server = await serve(t, (req, res, info) => {
    const sse = openSse(res);
    replay(sse, req, info.index === 0 ? 2 : Infinity);
    sse.end();
  });
  assert.deepEqual(await streamJob(server.url(JOB)), RESULT);
  assert.equal(server.requests[1].headers["last-event-id"], "2");
});

test("An event cut off before its blank line is asked for again, not skipped", async (t) => {
  const server = await serve(t, (req, res, info) => {
    const sse = openSse(res);
    if (info.index === 0) {
      replay(sse, req, 3);
      res.write('id: 4\nevent: delta\ndata: {"text":"Hel');
      return sse.drop();
    }
    replay(sse, req);
    sse.end();
  });
  const deltas = [];
  assert.deepEqual(await streamJob(server.url(JOB), { onDelta: (d) => deltas.push(d) }), RESULT);
  assert.equal(server.requests[1].headers["last-event-id"], "3");
  assert.deepEqual(deltas, ["Hello", ", ", "world"]);
});

test("An id on a block without data still moves the resume point, as in EventSource", async (t) => {
  const server = await serve(t, (req, res, info) => {
    const sse = openSse(res);
    if (info.index === 0) {
      replay(sse, req, 3);
      res.write("id: 5\n\n");
      return sse.drop();
    }
    replay(sse, req);
    sse.end();
  });
  const deltas = [];
  await streamJob(server.url(JOB), { onDelta: (d) => deltas.push(d) });
  assert.equal(server.requests[1].headers["last-event-id"], "5");
  assert.deepEqual(deltas, ["world"]);
});

test("The caller's lastEventId is sent on the first connection", async (t) => {
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    replay(sse, req);
    sse.end();
  });
  const deltas = [];
  await streamJob(server.url(JOB), { lastEventId: "5", onDelta: (d) => deltas.push(d) });
  assert.equal(server.requests[0].headers["last-event-id"], "5");
  assert.deepEqual(deltas, ["world"]);
});

test("204 on a reconnect settles from pollUrl", async (t) => {
  const server = await serve(t, (req, res, info) => {
    if (info.path === POLL) return sendJson(res, 200, { jobId: "j", status: "COMPLETED", attempt: 1, result: RESULT });
    if (info.index > 0) {
      res.writeHead(204);
      return res.end();
    }
    const sse = openSse(res);
    replay(sse, req, 6);
    sse.drop();
  });
  const result = await streamJob(server.url(JOB), { pollUrl: server.url(POLL) });
  assert.deepEqual(result, RESULT);
  assert.deepEqual(
    server.requests.map((r) => [r.path, r.headers["last-event-id"]]),
    [
      [JOB, undefined],
      [JOB, "6"],
      [POLL, undefined],
    ],
  );
});

test("Silence longer than heartbeatTimeoutMs counts as a drop and reconnects", async (t) => {
  const server = await serve(t, (req, res, info) => {
    const sse = openSse(res);
    replay(sse, req, info.index === 0 ? 2 : Infinity);
    if (info.index > 0) sse.end(); // the first connection stays open and silent
  });
  const result = await streamJob(server.url(JOB), { heartbeatTimeoutMs: 150 });
  assert.deepEqual(result, RESULT);
  assert.equal(server.requests.length, 2);
  assert.equal(server.requests[1].headers["last-event-id"], "2");
  await server.requests[0].closed; // the silent connection was given up, not leaked
});

test("Heartbeat comments keep a quiet stream alive", async (t) => {
  const server = await serve(t, async (req, res) => {
    const sse = openSse(res);
    replay(sse, req, 2);
    for (let i = 0; i < 15; i++) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      sse.comment();
    }
    replay(sse, req);
    sse.end();
  });
  assert.deepEqual(await streamJob(server.url(JOB), { heartbeatTimeoutMs: 300 }), RESULT);
  assert.equal(server.requests.length, 1);
});

test("reauthenticate fetches fresh headers and resumes at once, not counted as a retry", async (t) => {
  const server = await serve(t, (req, res, info) => {
    const sse = openSse(res, { retry: 60_000 }); // waiting for the retry would time the test out
    if (info.index === 0) {
      replay(sse, req, 3);
      sse.send("reauthenticate", {});
      return sse.end();
    }
    replay(sse, req);
    sse.end();
  });
  const result = await streamJob(server.url(JOB), { headers: tokens("old", "fresh"), maxRetries: 0 });
  assert.deepEqual(result, RESULT);
  assert.deepEqual(
    server.requests.map((r) => [r.headers.authorization, r.headers["last-event-id"]]),
    [
      ["Bearer old", undefined],
      ["Bearer fresh", "3"],
    ],
  );
});

test("A 401 gets one more try with fresh headers", async (t) => {
  const server = await serve(t, (req, res, info) => {
    if (info.index === 0) return sendJson(res, 401, { status: 401, title: "Unauthorized" });
    const sse = openSse(res);
    replay(sse, req);
    sse.end();
  });
  assert.deepEqual(await streamJob(server.url(JOB), { headers: tokens("expired", "fresh") }), RESULT);
  assert.equal(server.requests[1].headers.authorization, "Bearer fresh");
});

test("A second 401 rejects with kind http", async (t) => {
  const server = await serve(t, (req, res) => sendJson(res, 401, { status: 401 }));
  await assert.rejects(streamJob(server.url(JOB), { headers: tokens("a", "b", "c") }), { kind: "http", status: 401 });
  assert.deepEqual(
    server.requests.map((r) => r.headers.authorization),
    ["Bearer a", "Bearer b"],
  );
});

for (const status of [400, 403, 404, 409]) {
  test(`A ${status} is not retried`, async (t) => {
    const server = await serve(t, (req, res) => sendJson(res, status, { status }));
    await assert.rejects(streamJob(server.url(JOB)), { kind: "http", status });
    assert.equal(server.requests.length, 1);
  });
}

test("429 is retried after its Retry-After", async (t) => {
  const server = await serve(t, (req, res, info) => {
    if (info.index < 2) return sendJson(res, 429, { status: 429 }, { "Retry-After": String(info.index + 1) });
    const sse = openSse(res);
    replay(sse, req);
    sse.end();
  });
  const { delays, sleep } = recordingSleep();
  assert.deepEqual(await streamJob(server.url(JOB), { sleep }), RESULT);
  assert.deepEqual(delays, [1000, 2000]);
});

test("5xx is retried with growing back-off, and outlasting maxRetries rejects http", async (t) => {
  const server = await serve(t, (req, res) => sendJson(res, 502, { status: 502 }));
  const { delays, sleep } = recordingSleep();
  await assert.rejects(streamJob(server.url(JOB), { sleep, random: () => 0, maxRetries: 3 }), {
    kind: "http",
    status: 502,
  });
  assert.equal(server.requests.length, 4);
  assert.deepEqual(delays, [3000, 6000, 12000]);
});

test("Back-off starts from the server's retry and adds jitter", async (t) => {
  const server = await serve(t, (req, res, info) => {
    const sse = openSse(res, { retry: 400 });
    if (info.index < 2) return sse.drop();
    replay(sse, req);
    sse.end();
  });
  const { delays, sleep } = recordingSleep();
  await streamJob(server.url(JOB), { sleep, random: () => 0.5 });
  assert.deepEqual(delays, [500, 1000]);
});

test("The delivery_disabled event rejects at once with kind delivery-disabled", async (t) => {
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    replay(sse, req, 4);
    sse.send("delivery_disabled", {});
    sse.end();
  });
  await assert.rejects(streamJob(server.url(JOB)), { kind: "delivery-disabled", lastEventId: "4" });
  assert.equal(server.requests.length, 1);
});

test("503 with problem type delivery-disabled rejects at once", async (t) => {
  const server = await serve(t, (req, res) => sendProblem(res, 503, DELIVERY_DISABLED, { "Retry-After": "1" }));
  await assert.rejects(streamJob(server.url(JOB)), { kind: "delivery-disabled" });
  assert.equal(server.requests.length, 1);
});

test("A plain 503 is retried", async (t) => {
  const server = await serve(t, (req, res, info) => {
    if (info.index === 0) return sendProblem(res, 503, "https://blazorjobs.example/problems/database-unavailable");
    const sse = openSse(res);
    replay(sse, req);
    sse.end();
  });
  const { delays, sleep } = recordingSleep();
  assert.deepEqual(await streamJob(server.url(JOB), { sleep, random: () => 0 }), RESULT);
  assert.equal(delays.length, 1);
});

test("Gives up with kind network after maxRetries reconnections that deliver nothing", async (t) => {
  const server = await serve(t, (req) => req.socket.destroy());
  const { delays, sleep } = recordingSleep();
  const failure = await streamJob(server.url(JOB), { sleep, random: () => 0, maxRetries: 2 }).catch((e) => e);
  assert.equal(failure.kind, "network");
  assert.equal(server.requests.length, 3);
  assert.deepEqual(delays, [3000, 6000]);
});

test("Drops after new events do not use up the retries", async (t) => {
  const server = await serve(t, (req, res, info) => {
    const sse = openSse(res);
    replay(sse, req, info.index + 1);
    sse.drop();
  });
  const { sleep } = recordingSleep();
  assert.deepEqual(await streamJob(server.url(JOB), { sleep, maxRetries: 1 }), RESULT);
  assert.equal(server.requests.length, 7);
});

test("failed rejects with the job's error", async (t) => {
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    replay(sse, req, 2);
    sse.send("failed", { error: "The tutor is unavailable." }, 3);
    sse.end();
  });
  await assert.rejects(streamJob(server.url(JOB)), { kind: "failed", message: "The tutor is unavailable." });
});

test("cancelled rejects with kind cancelled", async (t) => {
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    replay(sse, req, 4);
    sse.send("cancelled", {}, 5);
    sse.end();
  });
  await assert.rejects(streamJob(server.url(JOB)), { kind: "cancelled" });
});

test("timeout rejects with the last event id, and calling again with it resumes the wait", async (t) => {
  const server = await serve(t, (req, res, info) => {
    const sse = openSse(res);
    replay(sse, req, info.index === 0 ? 3 : Infinity);
    if (info.index === 0) sse.send("timeout", {});
    sse.end();
  });
  const failure = await streamJob(server.url(JOB)).catch((e) => e);
  assert.equal(failure.kind, "timeout");
  assert.equal(failure.lastEventId, "3");
  const deltas = [];
  assert.deepEqual(await streamJob(server.url(JOB), { lastEventId: failure.lastEventId, onDelta: (d) => deltas.push(d) }), RESULT);
  assert.equal(deltas.join(""), RESULT.answer);
});

test("Aborting closes the connection at once and rejects with kind aborted", async (t) => {
  const opened = signal();
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    replay(sse, req, 4);
  });
  const controller = new AbortController();
  const pending = streamJob(server.url(JOB), { signal: controller.signal, onDelta: () => opened.resolve() });
  await opened.promise;
  controller.abort();
  await assert.rejects(pending, { kind: "aborted" });
  await server.requests[0].closed;
});

test("Aborting during a back-off wait rejects at once", async (t) => {
  const server = await serve(t, (req, res) => sendJson(res, 503, {}, { "Retry-After": "3600" }));
  const controller = new AbortController();
  const pending = streamJob(server.url(JOB), { signal: controller.signal });
  await server.waitForRequests(1);
  setImmediate(() => controller.abort());
  await assert.rejects(pending, { kind: "aborted" });
});

test("An already aborted signal rejects without a request", async (t) => {
  const server = await serve(t, (req, res) => res.end());
  await assert.rejects(streamJob(server.url(JOB), { signal: AbortSignal.abort() }), { kind: "aborted" });
  assert.equal(server.requests.length, 0);
});

// The process-exit check runs in a child process: only a process of its own proves that no
// timer or socket is left behind after an abort.
test("After an abort nothing is left running: the process exits by itself", async () => {
  const child = fileURLToPath(new URL("./fixtures/abort-then-exit.mjs", import.meta.url));
  const code = await new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child], { stdio: ["ignore", "pipe", "inherit"] });
    const timer = setTimeout(() => {
      proc.kill();
      reject(new Error("the process did not exit within 5 s of the abort"));
    }, 5000);
    let output = "";
    proc.stdout.on("data", (chunk) => (output += chunk));
    proc.on("exit", (exitCode) => {
      clearTimeout(timer);
      assert.match(output, /aborted aborted ok/);
      resolve(exitCode);
    });
  });
  assert.equal(code, 0);
});
