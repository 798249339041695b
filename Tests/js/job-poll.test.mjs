import { test } from "node:test";
import assert from "node:assert/strict";
import { pollJob } from "../../wwwroot/js/job-poll.js";
import { startServer, sendJson, recordingSleep, RESULT } from "./support-server.mjs";

const POLL = "/api/assistant/job/0b1d2c3e-0000-4000-8000-000000000002";
const fast = () => 1;

async function serve(t, handler) {
  const server = await startServer(handler);
  t.after(() => server.close());
  return server;
}

const body = (status, extra = {}) => ({ jobId: "j", status, attempt: 1, createdAt: "2025-01-01T00:00:00Z", ...extra });

test("Sends If-None-Match with the last ETag and treats 304 as unchanged", async (t) => {
  const answers = [
    (res) => sendJson(res, 200, body("PENDING"), { ETag: '"v1"' }),
    (res) => res.writeHead(304, { ETag: '"v1"' }).end(),
    (res) => sendJson(res, 200, body("PROCESSING"), { ETag: '"v2"' }),
    (res) => res.writeHead(304).end(),
    (res) => sendJson(res, 200, body("COMPLETED", { result: RESULT }), { ETag: '"v3"' }),
  ];
  const server = await serve(t, (req, res, info) => answers[info.index](res));
  const statuses = [];
  const result = await pollJob(server.url(POLL), { schedule: fast, onStatus: (s) => statuses.push(s) });
  assert.deepEqual(result, RESULT);
  assert.deepEqual(
    server.requests.map((r) => r.headers["if-none-match"]),
    [undefined, '"v1"', '"v1"', '"v2"', '"v2"'],
  );
  assert.deepEqual(statuses, [
    { status: "PENDING", attempt: 1 },
    { status: "PROCESSING", attempt: 1 },
  ]);
});

test("FAILED rejects with kind failed and the job's error message", async (t) => {
  const server = await serve(t, (req, res) => sendJson(res, 200, body("FAILED", { errorMessage: "No answer." })));
  await assert.rejects(pollJob(server.url(POLL), { schedule: fast }), { kind: "failed", message: "No answer." });
});

test("CANCELLED rejects with kind cancelled", async (t) => {
  const server = await serve(t, (req, res) => sendJson(res, 200, body("CANCELLED")));
  await assert.rejects(pollJob(server.url(POLL), { schedule: fast }), { kind: "cancelled" });
});

test("The schedule gets the elapsed time and the attempt number", async (t) => {
  const server = await serve(t, (req, res, info) =>
    sendJson(res, 200, info.index < 3 ? body("PENDING") : body("COMPLETED", { result: RESULT })),
  );
  const calls = [];
  let clock = 1_000_000;
  const { delays, sleep } = recordingSleep();
  await pollJob(server.url(POLL), {
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
      await sleep(ms);
    },
    schedule: (elapsedMs, attempt) => {
      calls.push([elapsedMs, attempt]);
      return 100 * attempt;
    },
  });
  assert.deepEqual(calls, [
    [0, 1],
    [100, 2],
    [300, 3],
  ]);
  assert.deepEqual(delays, [100, 200, 300]);
});

test("The default schedule polls every 1 s for 10 s, then 2 s, then 5 s, then every 10 s", async (t) => {
  const polls = 40;
  const server = await serve(t, (req, res, info) =>
    sendJson(res, 200, info.index < polls - 1 ? body("PENDING") : body("COMPLETED", { result: RESULT })),
  );
  let clock = 0;
  const delays = [];
  await pollJob(server.url(POLL), {
    now: () => clock,
    sleep: async (ms) => {
      delays.push(ms);
      clock += ms;
    },
  });
  const expected = [
    ...Array(10).fill(1_000), // 0 s → 10 s
    ...Array(10).fill(2_000), // 10 s → 30 s
    ...Array(6).fill(5_000), // 30 s → 60 s
    ...Array(polls - 1 - 26).fill(10_000),
  ];
  assert.deepEqual(delays, expected);
});

test("429 and 5xx wait at least their Retry-After, then polling goes on", async (t) => {
  const answers = [
    (res) => sendJson(res, 503, { status: 503 }, { "Retry-After": "2" }),
    (res) => sendJson(res, 429, { status: 429 }, { "Retry-After": "1" }),
    (res) => sendJson(res, 500, { status: 500 }),
    (res) => sendJson(res, 200, body("COMPLETED", { result: RESULT })),
  ];
  const server = await serve(t, (req, res, info) => answers[info.index](res));
  const { delays, sleep } = recordingSleep();
  assert.deepEqual(await pollJob(server.url(POLL), { schedule: () => 5, sleep }), RESULT);
  assert.deepEqual(delays, [2000, 1000, 5]);
});

test("Too many failures in a row reject, with kind http or network", async (t) => {
  const server = await serve(t, (req, res) => sendJson(res, 502, {}));
  const { sleep } = recordingSleep();
  await assert.rejects(pollJob(server.url(POLL), { sleep, maxRetries: 2 }), { kind: "http", status: 502 });
  assert.equal(server.requests.length, 3);

  const unreachable = server.url(POLL).replace(/:\d+\//, ":1/");
  await assert.rejects(pollJob(unreachable, { sleep, maxRetries: 1 }), { kind: "network" });
});

test("A 4xx other than 401 and 429 rejects at once", async (t) => {
  const server = await serve(t, (req, res) => sendJson(res, 404, { status: 404 }));
  await assert.rejects(pollJob(server.url(POLL), { schedule: fast }), { kind: "http", status: 404 });
  assert.equal(server.requests.length, 1);
});

test("A 401 gets one more try with fresh headers", async (t) => {
  const server = await serve(t, (req, res, info) =>
    info.index === 0 ? sendJson(res, 401, {}) : sendJson(res, 200, body("COMPLETED", { result: RESULT })),
  );
  let n = 0;
  const headers = () => ({ Authorization: `Bearer t${++n}` });
  assert.deepEqual(await pollJob(server.url(POLL), { schedule: fast, headers }), RESULT);
  assert.deepEqual(
    server.requests.map((r) => r.headers.authorization),
    ["Bearer t1", "Bearer t2"],
  );
});

test("Aborting while waiting rejects with kind aborted", async (t) => {
  const server = await serve(t, (req, res) => sendJson(res, 200, body("PENDING")));
  const controller = new AbortController();
  const pending = pollJob(server.url(POLL), { signal: controller.signal, schedule: () => 3_600_000 });
  await server.waitForRequests(1);
  setImmediate(() => controller.abort());
  await assert.rejects(pending, { kind: "aborted" });
  assert.equal(server.requests.length, 1);
});
