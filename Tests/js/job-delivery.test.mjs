import { test } from "node:test";
import assert from "node:assert/strict";
import { deliverJob } from "../../wwwroot/js/job-delivery.js";
import {
  startServer,
  openSse,
  sendJson,
  sendProblem,
  replay,
  recordingSleep,
  RESULT,
  DELIVERY_DISABLED,
} from "./support-server.mjs";

const JOB_ID = "0b1d2c3e-0000-4000-8000-000000000003";
const STREAM = `/api/assistant/stream/${JOB_ID}`;
const POLL = `/api/assistant/job/${JOB_ID}`;
const REPORTS = "/api/delivery/reports";

/** A server for one job: the stream is up to each test, the poll says COMPLETED. */
async function jobServer(t, stream, { reportStatus = 204 } = {}) {
  const server = await startServer((req, res, info) => {
    if (info.path === REPORTS) {
      res.writeHead(reportStatus);
      return res.end();
    }
    if (info.path === POLL) {
      return sendJson(res, 200, { jobId: JOB_ID, status: "COMPLETED", attempt: 1, result: RESULT }, { ETag: '"done"' });
    }
    const streamIndex = server.requests.filter((r) => r.path === STREAM).indexOf(info);
    return stream(req, res, { ...info, streamIndex });
  });
  t.after(() => server.close());
  const count = (path) => server.requests.filter((r) => r.path === path).length;
  return {
    server,
    job: (delivery) => ({
      jobId: JOB_ID,
      sessionId: RESULT.sessionId,
      delivery,
      streamUrl: server.url(STREAM),
      pollUrl: server.url(POLL),
    }),
    options: (extra = {}) => ({
      reportUrl: server.url(REPORTS),
      headers: { Authorization: "Bearer learner" },
      schedule: () => 1,
      ...extra,
    }),
    streams: () => count(STREAM),
    polls: () => count(POLL),
    reports: () => server.requests.filter((r) => r.path === REPORTS),
  };
}

const streamsEverything = (req, res) => {
  const sse = openSse(res);
  replay(sse, req);
  sse.end();
};

const dropsAfter = (lastId) => (req, res) => {
  const sse = openSse(res);
  replay(sse, req, lastId);
  sse.drop();
};

/** A Storage-like object, so the circuit breaker runs as it would in a browser. */
function fakeLocalStorage(t) {
  const items = new Map();
  globalThis.localStorage = {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
  };
  t.after(() => delete globalThis.localStorage);
  return items;
}

test("sse streams the job and neither polls nor reports", async (t) => {
  const fx = await jobServer(t, streamsEverything);
  const deltas = [];
  const result = await deliverJob(fx.job("sse"), fx.options({ onDelta: (d) => deltas.push(d) }));
  assert.deepEqual(result, RESULT);
  assert.equal(deltas.join(""), RESULT.answer);
  assert.deepEqual([fx.streams(), fx.polls(), fx.reports().length], [1, 0, 0]);
});

test("polling polls and never opens a stream", async (t) => {
  const fx = await jobServer(t, streamsEverything);
  assert.deepEqual(await deliverJob(fx.job("polling"), fx.options()), RESULT);
  assert.deepEqual([fx.streams(), fx.polls(), fx.reports().length], [0, 1, 0]);
});

test("options.mode overrides the job's delivery", async (t) => {
  const fx = await jobServer(t, streamsEverything);
  assert.deepEqual(await deliverJob(fx.job("sse"), fx.options({ mode: "polling" })), RESULT);
  assert.equal(fx.streams(), 0);
});

test("hybrid falls back to polling on a dropped stream, reported once as fallback", async (t) => {
  fakeLocalStorage(t);
  const fx = await jobServer(t, dropsAfter(4));
  const deltas = [];
  const result = await deliverJob(fx.job("hybrid"), fx.options({ onDelta: (d) => deltas.push(d) }));
  assert.deepEqual(result, RESULT);
  assert.deepEqual(deltas, ["Hello"], "what the stream delivered before the drop was shown");
  assert.deepEqual([fx.streams(), fx.polls()], [1, 1]);
  const reports = fx.reports();
  assert.equal(reports.length, 1);
  const report = JSON.parse(reports[0].body);
  assert.deepEqual({ ...report, detail: undefined }, { jobId: JOB_ID, mode: "hybrid", kind: "fallback", detail: undefined });
  assert.match(report.detail, /network/);
  assert.equal(reports[0].headers.authorization, "Bearer learner");
  assert.match(reports[0].headers["content-type"], /application\/json/);
});

for (const [status, headers] of [
  [502, {}],
  [429, { "Retry-After": "1" }],
]) {
  test(`hybrid falls back on HTTP ${status} without retrying the stream`, async (t) => {
    fakeLocalStorage(t);
    const fx = await jobServer(t, (req, res) => sendJson(res, status, { status }, headers));
    assert.deepEqual(await deliverJob(fx.job("hybrid"), fx.options()), RESULT);
    assert.deepEqual([fx.streams(), fx.polls(), fx.reports().length], [1, 1, 1]);
    assert.match(JSON.parse(fx.reports()[0].body).detail, new RegExp(`http ${status}`));
  });
}

test("hybrid falls back when the stream goes silent", async (t) => {
  fakeLocalStorage(t);
  const fx = await jobServer(t, (req, res) => replay(openSse(res), req, 2));
  assert.deepEqual(await deliverJob(fx.job("hybrid"), fx.options({ heartbeatTimeoutMs: 100 })), RESULT);
  assert.equal(fx.reports().length, 1);
  assert.match(JSON.parse(fx.reports()[0].body).detail, /heartbeat/);
});

test("hybrid does not fall back when the job itself fails", async (t) => {
  fakeLocalStorage(t);
  const fx = await jobServer(t, (req, res) => {
    const sse = openSse(res);
    replay(sse, req, 2);
    sse.send("failed", { error: "No answer." }, 3);
    sse.end();
  });
  await assert.rejects(deliverJob(fx.job("hybrid"), fx.options()), { kind: "failed", message: "No answer." });
  assert.deepEqual([fx.polls(), fx.reports().length], [0, 0]);
});

test("sse that gives up on the stream reports stream_error once, then polls", async (t) => {
  fakeLocalStorage(t);
  const fx = await jobServer(t, (req) => req.socket.destroy());
  const { delays, sleep } = recordingSleep();
  const result = await deliverJob(fx.job("sse"), fx.options({ sleep, maxRetries: 2 }));
  assert.deepEqual(result, RESULT);
  assert.equal(fx.streams(), 3);
  assert.equal(delays.length, 2);
  const reports = fx.reports().map((r) => JSON.parse(r.body));
  assert.deepEqual(
    reports.map(({ jobId, mode, kind }) => ({ jobId, mode, kind })),
    [{ jobId: JOB_ID, mode: "sse", kind: "stream_error" }],
  );
  assert.equal(fx.polls(), 1);
});

test("The kill switch's 503 switches to polling without a report", async (t) => {
  const fx = await jobServer(t, (req, res) => sendProblem(res, 503, DELIVERY_DISABLED));
  for (const mode of ["sse", "hybrid"]) {
    assert.deepEqual(await deliverJob(fx.job(mode), fx.options()), RESULT);
  }
  assert.deepEqual([fx.streams(), fx.polls(), fx.reports().length], [2, 2, 0]);
});

test("The delivery_disabled event switches an open stream to polling without a report", async (t) => {
  const fx = await jobServer(t, (req, res) => {
    const sse = openSse(res);
    replay(sse, req, 5);
    sse.send("delivery_disabled", {});
    sse.end();
  });
  const deltas = [];
  assert.deepEqual(await deliverJob(fx.job("sse"), fx.options({ onDelta: (d) => deltas.push(d) })), RESULT);
  assert.deepEqual(deltas, ["Hello", ", "]);
  assert.deepEqual([fx.streams(), fx.polls(), fx.reports().length], [1, 1, 0]);
});

test("A server timeout resumes the stream from its last event id", async (t) => {
  const fx = await jobServer(t, (req, res, info) => {
    const sse = openSse(res);
    replay(sse, req, info.streamIndex === 0 ? 4 : Infinity);
    if (info.streamIndex === 0) sse.send("timeout", {});
    sse.end();
  });
  const deltas = [];
  assert.deepEqual(await deliverJob(fx.job("hybrid"), fx.options({ onDelta: (d) => deltas.push(d) })), RESULT);
  assert.equal(deltas.join(""), RESULT.answer);
  assert.equal(fx.server.requests[1].headers["last-event-id"], "4");
  assert.deepEqual([fx.polls(), fx.reports().length], [0, 0]);
});

test("A report that fails does not fail the job", async (t) => {
  fakeLocalStorage(t);
  const fx = await jobServer(t, dropsAfter(2), { reportStatus: 500 });
  assert.deepEqual(await deliverJob(fx.job("hybrid"), fx.options()), RESULT);
  const unreachable = fx.server.url(REPORTS).replace(/:\d+\//, ":1/");
  assert.deepEqual(await deliverJob(fx.job("hybrid"), fx.options({ reportUrl: unreachable })), RESULT);
});

test("Circuit breaker: after 3 stream failures within 5 minutes hybrid polls straight away for 10 minutes", async (t) => {
  const storage = fakeLocalStorage(t);
  const fx = await jobServer(t, dropsAfter(2));
  let clock = Date.parse("2025-01-01T12:00:00Z");
  const options = fx.options({ now: () => clock });

  for (let i = 0; i < 3; i++) {
    await deliverJob(fx.job("hybrid"), options);
    clock += 60_000;
  }
  assert.deepEqual([fx.streams(), fx.reports().length], [3, 3]);
  assert.ok(storage.size > 0, "the breaker lives in localStorage");

  await deliverJob(fx.job("hybrid"), options);
  assert.deepEqual([fx.streams(), fx.reports().length], [3, 3], "open breaker: no stream, no report");

  // The third failure, at 2 minutes, opened it until 12 minutes.
  clock += 8 * 60_000;
  await deliverJob(fx.job("hybrid"), options);
  assert.equal(fx.streams(), 3, "still open before 10 minutes have passed");

  clock += 2 * 60_000;
  await deliverJob(fx.job("hybrid"), options);
  assert.equal(fx.streams(), 4, "closed again after 10 minutes");
});

test("Circuit breaker: failures more than 5 minutes apart do not open it", async (t) => {
  fakeLocalStorage(t);
  const fx = await jobServer(t, dropsAfter(2));
  let clock = Date.parse("2025-01-01T12:00:00Z");
  for (let i = 0; i < 4; i++) {
    await deliverJob(fx.job("hybrid"), fx.options({ now: () => clock }));
    clock += 3 * 60_000;
  }
  assert.equal(fx.streams(), 4);
});

test("Circuit breaker: without localStorage hybrid keeps streaming", async (t) => {
  const fx = await jobServer(t, dropsAfter(2));
  for (let i = 0; i < 4; i++) await deliverJob(fx.job("hybrid"), fx.options());
  assert.equal(fx.streams(), 4);
});

test("Aborting a streamed delivery rejects with kind aborted", async (t) => {
  const fx = await jobServer(t, (req, res) => replay(openSse(res), req, 2));
  for (const mode of ["sse", "hybrid"]) {
    const controller = new AbortController();
    const pending = deliverJob(fx.job(mode), fx.options({ signal: controller.signal, onStatus: () => controller.abort() }));
    await assert.rejects(pending, { kind: "aborted" }, mode);
    assert.equal(fx.polls(), 0, "an abort is not a stream problem");
  }
});
